/**
 * Each user has one Dapr reminder at a time that matters, the user's **alarm**: registered for the
 * user's earliest active reminder (as a Durable Object has one alarm). When it fires, the actor
 * fires every reminder whose time has come and registers the alarm again for the earliest one
 * left (actors/reminderFiring.ts, actors/reminderSync.ts). So a reminder later than the user's
 * alarm needs no registration of its own: a create with a reminder costs a Dapr and scheduler
 * round trip only when it moves the user's alarm earlier.
 *
 * The rule, written where it is enforced (actors/reminderSchedule.ts `replaceSchedule`, and
 * ReminderSync): a reminder_schedule row is `synced` when a registered alarm is at or before its
 * time. An alarm earlier than every active row is harmless (it fires, nothing is due, the next
 * one is registered); one later than an active row, or none, would make that row late (the
 * reconciler would still fire it once overdue). Each alarm has its own name, from its time, so
 * registering a new one never replaces a job whose trigger Dapr is delivering at that moment.
 *
 * This class is what this host knows it registered: per user, the alarm's time, until the alarm
 * fires or the actor deactivates (it may then fire or move elsewhere), when it is forgotten. A
 * registration records itself only if nothing was forgotten since the sync read the schedule (the
 * generation): a sync that read before a firing must not record an alarm the firing consumed.
 */

/** The Dapr reminder name of a user's alarm for `fireAt`: one name per instant. */
export function alarmName(fireAt: Date): string {
  return `alarm-${fireAt.getTime()}`;
}

/** A row due at `fireAt` is covered by the alarm at `alarmAt` when that alarm fires no later than it. */
export function coveredBy(alarmAt: Date | undefined, fireAt: Date): boolean {
  return alarmAt !== undefined && alarmAt.getTime() <= fireAt.getTime();
}

export class UserAlarms {
  /** Per active user: the alarm known registered (none after it fired), and when it was last forgotten. */
  private readonly users = new Map<string, { at: Date | undefined; forgottenAt: number }>();
  /** Counts forgettings and drops, so that a sync can tell whether one came after its read. */
  private seq = 0;
  /** When the last user was dropped (who was dropped is not kept: a sync of any absent user that read before it records nothing). */
  private droppedAt = 0;

  /** The alarm this host registered for the user and that has not fired since, if it knows one. */
  alarmOf(userId: string): Date | undefined {
    return this.users.get(userId)?.at;
  }

  /** Taken by a sync before it reads the schedule; given back to `record`. */
  generation(): number {
    return this.seq;
  }

  /** The sync registered (or found registered) the alarm at `at`: recorded unless the user's alarm was forgotten or dropped since `generation`. */
  record(userId: string, at: Date, generation: number): void {
    const u = this.users.get(userId);
    const last = u ? u.forgottenAt : this.droppedAt;
    if (last <= generation) this.users.set(userId, { at, forgottenAt: last });
  }

  /** The alarm fired: what this host knew of it no longer holds. */
  forget(userId: string): void {
    this.users.set(userId, { at: undefined, forgottenAt: ++this.seq });
  }

  /** The actor deactivated (its alarm may fire, or it may move to another host): nothing is kept for it. */
  drop(userId: string): void {
    this.users.delete(userId);
    this.droppedAt = ++this.seq;
  }
}
