/**
 * Writing an event into the outbox, inside the caller's transaction: it commits or rolls back with
 * the change it describes. The actor host's publisher sends it to Kafka afterwards (per user, in
 * seq order), whichever service wrote it.
 *
 * A user's outbox writers are serialised by a transaction-scoped advisory lock taken before the
 * row gets its seq, so per user seq order is commit order: the publisher never sees a row commit
 * after a higher seq of the same user was already visible (and sent). Without it the actor (a task
 * write) and the notification subscriber (reminder.sent) could commit one user's rows out of seq
 * order, and seq could not be the user's event order that the device stream replays by.
 *
 * Each row keeps the traceparent of the span that writes it, for its Kafka message (common/tracing.ts).
 */
import type { PoolClient } from 'pg';
import { topicOf, type EventEnvelope } from '../events/envelope';
import { currentTraceparent } from '../traceContext';

export async function insertOutboxEvent(db: PoolClient, event: EventEnvelope<unknown>): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('outbox-order:' || $1))", [event.userId]);
  await db.query('INSERT INTO outbox (event_id, user_id, topic, payload, traceparent) VALUES ($1, $2, $3, $4, $5)', [
    event.eventId, event.userId, topicOf(event.type), JSON.stringify(event), currentTraceparent() ?? null,
  ]);
}

/** Several events in one statement (in the given order), inside the caller's transaction. */
export async function insertOutboxEvents(db: PoolClient, events: EventEnvelope<unknown>[]): Promise<void> {
  if (events.length === 0) return;
  const traceparent = currentTraceparent() ?? null;
  const values: unknown[] = [];
  const tuples = events.map((e) => {
    values.push(e.eventId, e.userId, topicOf(e.type), JSON.stringify(e), traceparent);
    const b = values.length - 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
  });
  await db.query(`INSERT INTO outbox (event_id, user_id, topic, payload, traceparent) VALUES ${tuples.join(', ')}`, values);
}
