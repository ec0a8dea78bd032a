/**
 * A reminder's identity in a conversation, apart from its id: two reminders are the same reminder
 * when they are the same offset before the due ("PT30M") or the same instant, however the instant
 * is written ("…T08:00:00Z" and "…T08:00:00.000Z" are one). "remind me … 30 minutes before" on a
 * task that already has that reminder adds nothing.
 */
export type ReminderWhen = { before: string } | { at: string };

export function reminderKey(r: ReminderWhen): string {
  return 'before' in r ? `before:${r.before}` : `at:${Date.parse(r.at)}`;
}

/** The reminders of `wanted` that `have` does not hold yet, by reminderKey. */
export function newReminders<R extends ReminderWhen>(have: readonly ReminderWhen[], wanted: readonly R[]): R[] {
  const held = new Set(have.map(reminderKey));
  return wanted.filter((r) => !held.has(reminderKey(r)));
}
