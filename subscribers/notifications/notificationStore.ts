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

/** A claimed row's outcome, and the trace of the try that reached it (for its event's Kafka message). */
export interface Settlement {
  n: ClaimedNotification;
  outcome: Outcome;
  traceparent: string | null;
}

/** reminder.sent / reminder.failed for a final outcome; nothing for a retry. */
function outcomeEvent({ n, outcome }: Settlement): EventEnvelope<unknown> | undefined {
  if (outcome.status === 'sent') {
    return buildEvent('reminder.sent', n.userId, n.taskId, {
      reminderId: n.reminderId, dueEventId: n.eventId, to: n.recipient ?? '', sentAt: outcome.sentAt.toISOString(), attempts: outcome.attempts,
    }, outcome.sentAt, n.event.traceId);
  }
  if (outcome.status === 'failed') {
    return buildEvent('reminder.failed', n.userId, n.taskId, {
      reminderId: n.reminderId, dueEventId: n.eventId, attempts: outcome.attempts, reason: outcome.reason, failedAt: outcome.failedAt.toISOString(),
    }, outcome.failedAt, n.event.traceId);
  }
  return undefined;
}

/**
 * Stores the outcomes of claimed rows and, for the final ones, their reminder.sent /
 * reminder.failed events in the outbox, in one transaction: one statement for the rows, one for
 * the events, however many there are. Returns the event ids settled; a row whose claim was lost
 * (the sweep took it: its stamp is no longer the claim's) is not, and gets no event.
 */
export async function settleAll(pool: Pool, settlements: readonly Settlement[]): Promise<Set<string>> {
  if (settlements.length === 0) return new Set();
  return inTransaction(pool, async (tx) => {
    const res = await tx.query<{ event_id: string }>(
      `UPDATE notifications AS t
          SET status = v.status, attempts = v.attempts, next_attempt_at = v.next_attempt_at, last_error = COALESCE(v.last_error, t.last_error), updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])
              AS v(event_id, claimed_at, status, attempts, next_attempt_at, last_error)
        WHERE t.event_id = v.event_id AND t.status = 'sending' AND t.updated_at = v.claimed_at
       RETURNING t.event_id`,
      [
        settlements.map((s) => s.n.eventId),
        settlements.map((s) => s.n.claimedAt),
        settlements.map((s) => s.outcome.status),
        settlements.map((s) => s.outcome.attempts),
        settlements.map(({ outcome: o }) => (o.status === 'pending' ? o.nextAttemptAt : null)),
        settlements.map(({ outcome: o }) => (o.status === 'pending' ? o.error : o.status === 'failed' ? o.reason : null)),
      ],
    );
    const settled = new Set(res.rows.map((r) => r.event_id));
    const events: EventEnvelope<unknown>[] = [];
    const traceparents: (string | null)[] = [];
    for (const s of settlements) {
      const event = settled.has(s.n.eventId) ? outcomeEvent(s) : undefined;
      if (event) {
        events.push(event);
        traceparents.push(s.traceparent);
      }
    }
    await appendEvents(tx, events, traceparents);
    return settled;
  });
}
