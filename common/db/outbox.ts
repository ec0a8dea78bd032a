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
 * The one statement of appendEvents (prepared once per connection: its text does not depend on the
 * number of events). The one-time filter takes the outbox-order lock of each user, in the sorted
 * order of $1 (so two writers never deadlock), before the scan below it yields a row: every row's
 * seq (its DEFAULT, nextval) is drawn under the lock, in the order of the arrays.
 */
export const APPEND_EVENTS_SQL = `INSERT INTO outbox (event_id, user_id, topic, payload, traceparent)
  SELECT e.event_id, e.user_id, e.topic, e.payload, e.traceparent
    FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[]) AS e(event_id, user_id, topic, payload, traceparent)
   WHERE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext('outbox-order:' || u)) FROM unnest($1::text[]) AS u) AS locked) >= 0`;

/**
 * Validates every event against its type's schema (an invalid one is a producer bug: it throws,
 * and the caller's transaction rolls back), then, in one round trip, takes the outbox-order lock of
 * each user once and inserts every row in the given order. Each row keeps the trace of the span
 * active now, unless `traceparents` (one per event) says whose it is: a write that settles many
 * requests' work at once (subscribers/notifications/settlements.ts).
 */
export async function appendEvents(tx: PoolClient, events: readonly EventEnvelope<unknown>[], traceparents?: readonly (string | null)[]): Promise<void> {
  if (events.length === 0) return;
  if (traceparents && traceparents.length !== events.length) throw new Error(`appendEvents: ${traceparents.length} traceparents for ${events.length} events`);
  for (const e of events) {
    const v = validateEvent(e);
    if (!v.ok) throw new Error(`refusing to publish an invalid ${e.type} event: ${JSON.stringify(v.details)}`);
  }
  const users = [...new Set(events.map((e) => e.userId))].sort();
  const current = currentTraceparent() ?? null;
  await tx.query({
    name: 'outbox-append-events',
    text: APPEND_EVENTS_SQL,
    values: [users, events.map((e) => e.eventId), events.map((e) => e.userId), events.map((e) => topicOf(e.type)), events.map((e) => JSON.stringify(e)), traceparents ?? events.map(() => current)],
  });
}
