/**
 * The one door into the outbox: `appendEvents` writes events inside the caller's transaction, so
 * they commit or roll back with the change they describe. The actor host's publisher sends them to
 * Kafka afterwards (per user, in seq order), whichever service wrote them. Every writer goes
 * through it: the task commands (actors/taskCommands.ts), reminder firing (actors/reminderFiring.ts)
 * and the notification subscriber's settlement (subscribers/notifications/notificationStore.ts).
 *
 * A user's outbox writers are serialised by a transaction-scoped advisory lock taken before the
 * rows get their seq, so per user seq order is commit order: the publisher never sees a row commit
 * after a higher seq of the same user was already visible (and sent). Without it the actor (a task
 * write or a reminder firing) and the notification subscriber (reminder.sent) could commit one
 * user's rows out of seq order, and seq could not be the user's event order that the device stream
 * replays by (actors/outboxOrder.integration.test.ts).
 *
 * Each row keeps the traceparent of the span that writes it, for its Kafka message (common/tracing.ts).
 */
import type { PoolClient } from 'pg';
import { topicOf, type EventEnvelope } from '../events/envelope';
import { validateEvent } from '../validation';
import { currentTraceparent } from '../traceContext';

/**
 * Validates every event against its type's schema (an invalid one is a producer bug: it throws,
 * and the caller's transaction rolls back), takes the outbox-order lock of each user once (in a
 * fixed order, so two writers never deadlock), then inserts every row in one statement, in the
 * given order.
 */
export async function appendEvents(tx: PoolClient, events: readonly EventEnvelope<unknown>[]): Promise<void> {
  if (events.length === 0) return;
  for (const e of events) {
    const v = validateEvent(e);
    if (!v.ok) throw new Error(`refusing to publish an invalid ${e.type} event: ${JSON.stringify(v.details)}`);
  }
  const users = [...new Set(events.map((e) => e.userId))].sort();
  await tx.query(
    "SELECT pg_advisory_xact_lock(hashtext('outbox-order:' || u)) FROM unnest($1::text[]) WITH ORDINALITY AS t(u, i) ORDER BY i",
    [users],
  );
  const traceparent = currentTraceparent() ?? null;
  const values: unknown[] = [];
  const tuples = events.map((e) => {
    values.push(e.eventId, e.userId, topicOf(e.type), JSON.stringify(e), traceparent);
    const b = values.length - 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
  });
  await tx.query(`INSERT INTO outbox (event_id, user_id, topic, payload, traceparent) VALUES ${tuples.join(', ')}`, values);
}
