/**
 * Reminders fire at their instant even when thousands fall due together. Dapr's scheduler is
 * asked to trigger each reminder REMINDER_LEAD_MS before its time, and the actor holds the
 * trigger, in its turn, until the instant itself: a storm of triggers reaches the actors (through
 * the scheduler, daprd and the actor's activation) during the lead instead of after the instant.
 * Nothing is lost while a trigger is held: the schedule row stays active until the firing
 * commits, so if the process dies while holding, the reconciler (actors/reminderSync.ts) fires the
 * row once it is overdue, as for any trigger lost with a host. The price: the user's other calls
 * wait behind a held trigger, at most the lead.
 *
 * Pure: the time to register, and what to do with a trigger that came at `now`.
 */

/** A trigger this much earlier than its lead allows (clock skew, a lead changed since) is not held: the reconciler fires it when it is overdue. */
export const EARLY_SLACK_MS = 1000;

/** The instant Dapr is asked to trigger a reminder due at `fireAt`. */
export function triggerTime(fireAt: Date, leadMs: number): Date {
  return new Date(fireAt.getTime() - Math.max(0, leadMs));
}

export type Hold =
  | { kind: 'fire' }
  /** Hold the trigger this long, then fire. */
  | { kind: 'wait'; ms: number }
  /** Far earlier than the lead explains: do not fire now. */
  | { kind: 'too-early'; ms: number };

/** What the actor does with a trigger for a reminder due at `fireAt`, arriving at `now`. */
export function holdFor(fireAt: Date, now: Date, leadMs: number): Hold {
  const ms = fireAt.getTime() - now.getTime();
  if (ms <= 0) return { kind: 'fire' };
  if (ms > Math.max(0, leadMs) + EARLY_SLACK_MS) return { kind: 'too-early', ms };
  return { kind: 'wait', ms };
}
