/**
 * Feeds this gateway process's sockets: a Kafka consumer group of its own (every gateway process
 * sees every event), reading task-updates, the devices' feed (a copy of every task and reminder
 * event, in each user's order; common/events/README.md), from where it left off, or from now for a
 * new group. Live delivery is best effort; a device that reconnects asks for what it missed.
 * A message that is not a valid event goes to task-updates.dlt with the reason and this group's id;
 * a failure to pass one on is retried as common/consumerRetry.ts says.
 */
import os from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import { config } from '../../common/config';
import { consumerPolicies, retryMessage, runConsumer } from '../../common/kafka';
import { scheduleFor } from '../../common/consumerRetry';
import { DeadLetters, replayedForAnotherGroup } from '../../common/deadLetters';
import { TOPICS } from '../../common/events/envelope';
import type { Logger } from '../../common/logger';
import { readEvent, seqOf } from '../../common/events/consumedEvent';
import type { StreamHub } from './streamHub';
import { tracedBatch } from '../../common/traceContext';

/** This process's group: SYNC_GROUP_ID, or one per host and port. */
export function syncGroupId(): string {
  return config.syncGroupId || `sync-${os.hostname()}-${config.gatewayPort}`;
}

export class SyncConsumer {
  private readonly consumer: Consumer;
  private readonly deadLetters: DeadLetters;
  running = false;
  private stopping = false;

  constructor(kafka: Kafka, readonly groupId: string, private readonly hub: StreamHub, private readonly log: Logger) {
    // A fetch returns as soon as an event arrives; maxWaitTimeInMs only bounds an idle fetch, and
    // disconnect() waits for the one in flight, so a short one lets a stopping gateway leave its
    // group within about a second.
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 30000, heartbeatInterval: 3000, maxWaitTimeInMs: 1000 });
    this.deadLetters = new DeadLetters(kafka, groupId);
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.taskUpdates], fromBeginning: false });
    await runConsumer(this.consumer, {
      eachMessage: ({ topic, partition, message, heartbeat }) => tracedBatch(this.groupId, { topic, messages: [message] }, async () => {
        // A replay an operator sent to another group (a device stream never gets one of its own: it is live only).
        if (replayedForAnotherGroup(message.headers, this.groupId)) return;
        const ctx = { group: this.groupId, topic, heartbeat, isRunning: () => !this.stopping, log: this.log };
        const read = readEvent(message.value);
        const ids = 'event' in read ? { eventId: read.event.eventId, userId: read.event.userId, taskId: read.event.taskId } : {};
        const passed = 'event' in read
          ? await retryMessage(async () => {
            this.hub.publish(read.event.userId, { json: message.value?.toString('utf8') ?? '', eventId: read.event.eventId, seq: seqOf(message.headers) });
          }, { ...ctx, schedule: scheduleFor(consumerPolicies(), this.groupId, read.event.type), ids: { ...ids, offset: message.offset } })
          : { ok: false as const, reason: read.reason, attempts: 1 };
        if (passed.ok) return;
        this.log.warn('event sent to dead-letter topic', { topic, group: this.groupId, partition, offset: message.offset, reason: passed.reason, ...ids });
        const letter = { key: message.key, value: message.value, reason: passed.reason, partition, offset: message.offset, attempts: passed.attempts };
        const sent = await retryMessage(() => this.deadLetters.send(topic, [letter]), { ...ctx, topic: `${topic}.dlt`, schedule: { delaysMs: [] } });
        if (!sent.ok) throw new Error(`dead letter for ${topic} could not be sent: ${sent.reason}`);
      }),
    }, this.log);
    this.running = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect().catch(() => undefined);
    await this.deadLetters.disconnect();
  }
}
