/**
 * Consumer group `notifications`: reads the reminders topic, records every valid reminder.due in
 * the notifications table (idempotent on eventId), commits the batch's offsets once the database
 * has, and kicks the delivery loop. Emails are sent by NotificationWorker, never here, so neither
 * SMTP latency nor a retry's backoff holds up a partition. reminder.sent / reminder.failed are this
 * subscriber's own output and are skipped; an event that does not validate goes to reminders.dlt;
 * a failed write is retried as common/consumerRetry.ts says. A reminder.due an operator replayed
 * for this group (on dead-letter-replays), whose email failed for good, is made pending again (sent
 * once, however often replayed).
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { REPLAY_TOPIC, TOPICS, type EventEnvelope } from '../../common/events/envelope';
import { runConsumer, StoppedWhileRetrying } from '../../common/kafka';
import type { Logger } from '../../common/logger';
import { consumerRetries, eventsConsumed } from '../../common/metrics';
import type { DeadLetters } from '../../common/deadLetters';
import { commitBatch, parseBatch, sendDeadLetters, tracedBatch, writeWithRetries, type BatchRetry, type ConsumedEvent } from '../consumedBatch';
import { insertDueNotifications, retryFailedNotifications } from './notificationStore';
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
    for (const topic of [TOPICS.reminders]) for (const kind of ['transient', 'unknown']) consumerRetries.inc({ group: NOTIFICATIONS_GROUP, topic, kind }, 0);
  }

  /**
   * From the beginning for a group without offsets, so no reminder is lost to a late first start
   * (the price: the first deployment emails the reminder.due events still in retention).
   */
  async start(): Promise<void> {
    await this.consumer.connect();
    // dead-letter-replays: what an operator sent again for this group (subscribers/deadLetters/README.md).
    await this.consumer.subscribe({ topics: [TOPICS.reminders, REPLAY_TOPIC], fromBeginning: true });
    // Partitions are independent (one user's events share one): recording them one after the other
    // would put every partition's insert and offset commit in line behind the others'.
    await runConsumer(this.consumer, {
      autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_AT_ONCE, eachBatch: (p) => tracedBatch(NOTIFICATIONS_GROUP, p.batch, () => this.handleBatch(p)),
    }, this.log);
  }

  private async handleBatch(p: EachBatchPayload): Promise<void> {
    try {
      await this.recordBatch(p);
    } catch (err) {
      // Stopped or rebalanced mid-retry: nothing committed, the next owner reads the batch again.
      if (err instanceof StoppedWhileRetrying) return;
      throw err;
    }
  }

  private async recordBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const retry: BatchRetry = { group: NOTIFICATIONS_GROUP, topic: batch.topic, partition: batch.partition, heartbeat, isRunning: () => isRunning() && !isStale(), log: this.log };
    const { events, dead: invalid, skipped } = parseBatch(batch, NOTIFICATIONS_GROUP);
    const due = events.filter((e) => e.event.type === 'reminder.due');
    const ignored = events.length - due.length + skipped;
    const record = (es: ConsumedEvent[]) => insertDueNotifications(this.pool, es.map((e) => ({
      // Where the reminder.due was first read (a replay's origin), which its dead letter names if its email is given up.
      event: e.event as EventEnvelope<ReminderDueData>, partition: e.origin.partition ?? batch.partition, offset: e.origin.offset ?? e.offset, replayed: e.replayed,
    })));
    const { written: inserted, dead: failed } = await writeWithRetries(due, record, retry);
    // A replayed reminder that failed for good gets fresh tries (its row exists, so the insert skipped it).
    const replayed = due.filter((e) => e.replayed).map((e) => e.event.eventId);
    const retried = replayed.length ? (await writeWithRetries(due.filter((e) => e.replayed), (es) => retryFailedNotifications(this.pool, es.map((e) => e.event.eventId)), retry)).written : 0;
    if (replayed.length) this.log.info('replayed reminders recorded for delivery again', { replayed: replayed.length, madePending: retried, eventIds: replayed });
    const dead = [...invalid, ...failed];
    await sendDeadLetters(this.deadLetters, dead, retry);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'dead_lettered' }, dead.length);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'recorded' }, inserted + retried);
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'duplicate' }, Math.max(0, due.length - failed.length - inserted - retried));
    eventsConsumed.inc({ group: NOTIFICATIONS_GROUP, topic: batch.topic, outcome: 'ignored' }, ignored);
    for (const e of due) this.log.debug('reminder recorded for delivery', { userId: e.event.userId, taskId: e.event.taskId, eventId: e.event.eventId, traceId: e.event.traceId });
    // The rows are committed and the dead letters are in Kafka: only now may the offsets move past these messages.
    await commitBatch(this.consumer, batch, resolveOffset);
    await heartbeat();
    if (inserted + retried > 0) this.onRecorded();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
