/**
 * The notifications table: one row per reminder.due event (the idempotency key), its retry schedule
 * and its outcome. A row is claimed ('sending') before SMTP is called and settled after, each in
 * its own short statement or transaction, so no database transaction stays open across SMTP.
 * Settling writes reminder.sent / reminder.failed into the outbox in the same transaction, so the
 * event is published exactly when the outcome is recorded (the actor host's relay publishes it).
 */
import { erasedBefore, latestErasures, lockUsers } from '../erasure/userErasure';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../common/db/pool';
import { buildEvent, type EventEnvelope } from '../../common/events/envelope';
// The one door into the outbox (the actor host's publisher sends what it holds).
import { appendEvents } from '../../common/db/outbox';
import type { Outcome } from './deliveryPolicy';
import type { ReminderDueData } from './reminderEvents';

export interface ClaimedNotification {
  eventId: string;
  userId: string;
  taskId: string;
  reminderId: string;
  recipient: string | null;
  /** Tries that already failed. */
  attempts: number;
  event: EventEnvelope<ReminderDueData>;
  /** The claim's stamp: settling succeeds only while the row still carries it. */
  claimedAt: Date;
  /** Where the reminder.due was read in Kafka (for its dead letter); null for rows older than migration 005. */
  sourcePartition: number | null;
  sourceOffset: string | null;
  /** An operator replayed it: sent whatever its age. */
  replayed: boolean;
}

interface Row {
  event_id: string;
  user_id: string;
  task_id: string;
  reminder_id: string;
  recipient: string | null;
  attempts: number;
  event: EventEnvelope<ReminderDueData>;
  updated_at: Date;
  source_partition: number | null;
  source_offset: string | null;
  replayed_at: Date | null;
}

const RETURNING = 'RETURNING event_id, user_id, task_id, reminder_id, recipient, attempts, event, updated_at, source_partition, source_offset, replayed_at';
// Millisecond stamps, so the value read back into a JS Date compares equal in the settle UPDATE.
const STAMP = "date_trunc('milliseconds', now())";

function fromRow(r: Row): ClaimedNotification {
  return {
    eventId: r.event_id, userId: r.user_id, taskId: r.task_id, reminderId: r.reminder_id, recipient: r.recipient,
    attempts: r.attempts, event: r.event, claimedAt: r.updated_at,
    sourcePartition: r.source_partition, sourceOffset: r.source_offset === null ? null : String(r.source_offset), replayed: r.replayed_at !== null,
  };
}

export interface DueRecord {
  event: EventEnvelope<ReminderDueData>;
  partition: number;
  offset: string;
  /** An operator replayed it for this group. */
  replayed: boolean;
}

/** Records new reminder.due events as pending, due now; events already recorded are left as they are. Returns rows inserted. */
export async function insertDueNotifications(pool: Pool, all: DueRecord[]): Promise<number> {
  if (all.length === 0) return 0;
  return inTransaction(pool, async (tx) => {
    // A reminder that fired before its user erased their data is not emailed (subscribers/erasure/userErasure.ts).
    const users = all.map((r) => r.event.userId);
    await lockUsers(tx, users);
    const erasures = await latestErasures(tx, users);
    return insertPending(tx, all.filter((r) => !erasedBefore(r.event, erasures)));
  });
}

async function insertPending(db: PoolClient, records: DueRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const values: unknown[] = [];
  const tuples = records.map(({ event: e, partition, offset, replayed }, i) => {
    values.push(e.eventId, e.userId, e.taskId, e.data.reminderId, e.data.email, JSON.stringify(e), partition, offset, replayed);
    const b = i * 9;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, 'pending', 0, now(), $${b + 6}, $${b + 7}::int, $${b + 8}::bigint, CASE WHEN $${b + 9}::boolean THEN now() END)`;
  });
  const res = await db.query(
    `INSERT INTO notifications (event_id, user_id, task_id, reminder_id, recipient, status, attempts, next_attempt_at, event, source_partition, source_offset, replayed_at)
     VALUES ${tuples.join(',')} ON CONFLICT (event_id) DO NOTHING`,
    values,
  );
  return res.rowCount ?? 0;
}

/**
 * An operator replayed these reminder.due events: the ones whose delivery failed for good are
 * pending again, with fresh tries, due now. A row that was sent, or is pending or sending, is left
 * alone, so a reminder is emailed once however often it is replayed. Returns rows made pending.
 */
export async function retryFailedNotifications(pool: Pool, eventIds: string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const res = await pool.query(
    `UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = now(), replayed_at = now(), updated_at = now()
      WHERE event_id = ANY($1::uuid[]) AND status = 'failed'`,
    [eventIds],
  );
  return res.rowCount ?? 0;
}

/**
 * Claims up to `limit` pending rows whose try is due. SKIP LOCKED lets several subscriber pods
 * share the work: each row goes to exactly one of them.
 */
export async function claimDue(pool: Pool, limit: number): Promise<ClaimedNotification[]> {
  const res = await pool.query<Row>(
    `UPDATE notifications SET status = 'sending', updated_at = ${STAMP}
      WHERE event_id IN (SELECT event_id FROM notifications WHERE status = 'pending' AND next_attempt_at <= now()
                          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     ${RETURNING}`,
    [limit],
  );
  return res.rows.map(fromRow);
}

/**
 * Re-claims rows left 'sending' for longer than the lease: their process died between claiming and
 * settling, and whether SMTP accepted the email is unknown. The new stamp makes a late settle by
 * a process that was only slow fail instead of overwriting what the sweep decides.
 */
export async function claimAbandoned(pool: Pool, leaseMs: number, limit: number): Promise<ClaimedNotification[]> {
  const res = await pool.query<Row>(
    `UPDATE notifications SET updated_at = ${STAMP}
      WHERE event_id IN (SELECT event_id FROM notifications WHERE status = 'sending' AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
                          ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     ${RETURNING}`,
    [leaseMs, limit],
  );
  return res.rows.map(fromRow);
}

/**
 * Stores the outcome of a claimed row and, for a final one, its reminder.sent / reminder.failed
 * event in the outbox, in one transaction. False when the claim was lost (the sweep took the row).
 */
export async function settle(pool: Pool, n: ClaimedNotification, outcome: Outcome): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    const nextAttemptAt = outcome.status === 'pending' ? outcome.nextAttemptAt : null;
    const lastError = outcome.status === 'pending' ? outcome.error : outcome.status === 'failed' ? outcome.reason : null;
    const res = await tx.query(
      `UPDATE notifications SET status = $3, attempts = $4, next_attempt_at = $5, last_error = COALESCE($6, last_error), updated_at = now()
        WHERE event_id = $1 AND status = 'sending' AND updated_at = $2`,
      [n.eventId, n.claimedAt, outcome.status, outcome.attempts, nextAttemptAt, lastError],
    );
    if (res.rowCount !== 1) return false;
    if (outcome.status === 'sent') {
      await appendEvents(tx, [buildEvent('reminder.sent', n.userId, n.taskId, {
        reminderId: n.reminderId, dueEventId: n.eventId, to: n.recipient ?? '', sentAt: outcome.sentAt.toISOString(), attempts: outcome.attempts,
      }, outcome.sentAt, n.event.traceId)]);
    } else if (outcome.status === 'failed') {
      await appendEvents(tx, [buildEvent('reminder.failed', n.userId, n.taskId, {
        reminderId: n.reminderId, dueEventId: n.eventId, attempts: outcome.attempts, reason: outcome.reason, failedAt: outcome.failedAt.toISOString(),
      }, outcome.failedAt, n.event.traceId)]);
    }
    return true;
  });
}
