/**
 * The subscribers' part of DELETE /v1/me: when the audit consumer records a `user.erased` event
 * (written by the user's actor, actors/userData.ts), it erases, in the same transaction, what the
 * subscribers hold of that user from before the event: audit rows, notifications and dead letters.
 * The user_erasures row it writes is the line no older event of the user crosses again: the audit
 * and the notification consumer skip events of the user older than it (a reminder.due published
 * before the erasure but consumed after it is never emailed). Counts only, never content, are kept.
 */
import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '../../common/events/envelope';

type Db = Pool | PoolClient;

/**
 * Serialises an erasure with the writes of the same user's events in other transactions (the audit
 * reads several partitions at once, and the notification consumer writes beside it): the erasing
 * transaction takes its user's lock exclusively, every other writer shares it, so an older event
 * is either written before the erasure deletes it, or sees the erasure and is skipped. One
 * statement, users in sorted order (no two transactions wait on each other in a cycle).
 */
export async function lockUsers(tx: PoolClient, userIds: readonly string[], erasing: ReadonlySet<string> = new Set()): Promise<void> {
  const users = [...new Set(userIds)].sort();
  if (users.length === 0) return;
  await tx.query(
    `SELECT CASE WHEN x THEN pg_advisory_xact_lock(hashtext('user-erasure:' || u))::text
                 ELSE pg_advisory_xact_lock_shared(hashtext('user-erasure:' || u))::text END
       FROM unnest($1::text[], $2::boolean[]) WITH ORDINALITY AS t(u, x, i) ORDER BY i`,
    [users, users.map((u) => erasing.has(u))],
  );
}

/** What the subscribers erased for one user.erased event. */
export interface ErasureRecord {
  eventId: string;
  userId: string;
  erasedAt: string;
  auditRows: number;
  notifications: number;
  deadLetters: number;
}

/**
 * Records each user.erased event once (a redelivery finds its row and erases nothing more) and
 * erases the user's rows older than it. Runs inside the audit batch's transaction, before the batch
 * is inserted, so the batch's own older events of that user are skipped too.
 */
export async function eraseForEvents(tx: PoolClient, erased: readonly EventEnvelope<unknown>[]): Promise<ErasureRecord[]> {
  const out: ErasureRecord[] = [];
  for (const e of erased) {
    const first = await tx.query(
      'INSERT INTO user_erasures (event_id, user_id, erased_at, audit_rows, notifications, dead_letters) VALUES ($1, $2, $3, 0, 0, 0) ON CONFLICT (event_id) DO NOTHING',
      [e.eventId, e.userId, e.time],
    );
    if (first.rowCount === 0) continue;
    const count = async (sql: string) => (await tx.query(sql, [e.userId, e.time])).rowCount ?? 0;
    const auditRows = await count('DELETE FROM audit_log WHERE user_id = $1 AND event_time < $2');
    const notifications = await count("DELETE FROM notifications WHERE user_id = $1 AND (event->>'time')::timestamptz < $2");
    const deadLetters = await count('DELETE FROM dead_letters WHERE user_id = $1 AND dead_lettered_at < $2');
    await tx.query('UPDATE user_erasures SET audit_rows = $2, notifications = $3, dead_letters = $4 WHERE event_id = $1', [e.eventId, auditRows, notifications, deadLetters]);
    out.push({ eventId: e.eventId, userId: e.userId, erasedAt: e.time, auditRows, notifications, deadLetters });
  }
  return out;
}

/** The latest erasure of each of these users that has one: events of the user older than it are not recorded. */
export async function latestErasures(db: Db, userIds: readonly string[]): Promise<Map<string, Date>> {
  if (userIds.length === 0) return new Map();
  const r = await db.query<{ user_id: string; erased_at: Date }>(
    'SELECT user_id, max(erased_at) AS erased_at FROM user_erasures WHERE user_id = ANY($1::text[]) GROUP BY user_id',
    [[...new Set(userIds)]],
  );
  return new Map(r.rows.map((row) => [row.user_id, row.erased_at]));
}

/** Whether the event happened before its user's latest erasure (then it is not recorded). */
export function erasedBefore(event: Pick<EventEnvelope<unknown>, 'userId' | 'time'>, erasures: Map<string, Date>): boolean {
  const at = erasures.get(event.userId);
  return at !== undefined && Date.parse(event.time) < at.getTime();
}

/** The subscribers' record of one erasure, once the audit consumer has recorded its event. */
export async function erasureRecord(db: Db, userId: string, eventId: string): Promise<ErasureRecord | undefined> {
  const r = await db.query<{ event_id: string; user_id: string; erased_at: Date; audit_rows: number; notifications: number; dead_letters: number }>(
    'SELECT * FROM user_erasures WHERE event_id = $1 AND user_id = $2',
    [eventId, userId],
  );
  const row = r.rows[0];
  return row && { eventId: row.event_id, userId: row.user_id, erasedAt: row.erased_at.toISOString(), auditRows: row.audit_rows, notifications: row.notifications, deadLetters: row.dead_letters };
}
