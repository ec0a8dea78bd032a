/**
 * Consumer group `notifications`: reads the reminders topic, records every valid reminder.due in
 * the notifications table (idempotent on eventId), commits the batch's offsets once the database
 * has, and kicks the delivery loop. Emails are sent by NotificationWorker, never here, so neither
 * SMTP latency nor a retry's backoff holds up a partition. reminder.sent / reminder.failed are this
 * subscriber's own output and are skipped; an event that does not validate goes to reminders.dlt.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, type EventEnvelope } from '../../common/events/envelope';
import { runConsumer } from '../../common/kafka';
import type { Logger } from '../../common/logger';
import { eventsConsumed } from '../../common/metrics';
import type { DeadLetters } from '../../common/deadLetters';
import { commitBatch, parseBatch, tracedBatch } from '../consumedBatch';
import { insertDueNotifications } from './notificationStore';
import { NOTIFICATIONS_GROUP, type ReminderDueData } from './reminderEvents';

/** Partitions whose batches are recorded at the same time. */
const PARTITIONS_AT_ONCE = 6;

export class NotificationConsumer {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly pool: Pool,
    private readonly deadLetters: DeadLetters,
    private readonly onRecorded: () => void,
    private readonly log: Logger,
  ) {
    this.consumer = kafka.consumer({ groupId: NOTIFICATIONS_GROUP, sessionTimeout: 30000, heartbeatInterval: 3000 });
  }

  /**
   * From the beginning for a group without offsets, so no reminder is lost to a late first start
   * (the price: the first deployment emails the reminder.due events still in retention).
   */
  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.reminders], fromBeginning: true });
    // Partitions are independent (one user's events share one): recording them one after the other
    // would put every partition's insert and offset commit in line behind the others'.
    await runConsumer(this.consumer, {
      autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_AT_ONCE, eachBatch: (p) => tracedBatch(NOTIFICATIONS_GROUP, p.batch, () => this.handleBatch(p)),
    }, this.log);
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { events, dead } = parseBatch(batch);
    const due = events.map((e) => e.event).filter((e): e is EventEnvelope<ReminderDueData> => e.type === 'reminder.due');
    const ignored = events.length - due.length;
    if (dead.length) {
      await this.deadLetters.send(batch.topic, dead);
      for (const d of dead) this.log.warn('event sent to dead-letter topic', { topic: batch.topic, reason: d.reason });
      eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'dead_lettered' }, dead.length);
    }
    const inserted = await insertDueNotifications(this.pool, due);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'recorded' }, inserted);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'duplicate' }, due.length - inserted);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'ignored' }, ignored);
    for (const e of due) this.log.debug('reminder recorded for delivery', { userId: e.userId, taskId: e.taskId, eventId: e.eventId, traceId: e.traceId });
    // The rows are committed: only now may the offsets move past these messages.
    await commitBatch(this.consumer, batch, resolveOffset);
    await heartbeat();
    if (inserted > 0) this.onRecorded();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
