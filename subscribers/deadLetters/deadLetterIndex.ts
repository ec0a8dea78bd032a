/**
 * Consumer group `dead-letter-index`: reads every dead-letter topic from the beginning and keeps
 * the index the operator API lists (dead_letters). Reading commits this group's offsets only:
 * the messages stay on their topics for their retention, whatever the listing does.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { deadLetterTopic, TOPICS } from '../../common/events/envelope';
import { readDeadLetterHeaders } from '../../common/deadLetters';
import { metricGroup, retryMessage, runConsumer, StoppedWhileRetrying } from '../../common/kafka';
import type { Logger } from '../../common/logger';
import { deadLettersReceived } from '../../common/metrics';
import { commitBatch } from '../consumedBatch';
import { indexDeadLetters, type IndexedMessage } from './deadLetterStore';

export const DEAD_LETTER_INDEX_GROUP = 'dead-letter-index';
export const DEAD_LETTER_TOPICS: readonly string[] = Object.values(TOPICS).map(deadLetterTopic);

/** The groups that dead-letter on each topic, so the alert's series exist (at 0) before the first dead letter. */
const KNOWN_SOURCES: ReadonlyArray<[string, string]> = [
  [deadLetterTopic(TOPICS.taskEvents), 'audit'], [deadLetterTopic(TOPICS.reminders), 'audit'],
  [deadLetterTopic(TOPICS.reminders), 'notifications'], [deadLetterTopic(TOPICS.taskUpdates), 'sync'],
];

/** What the listing shows of a dead letter's value: the event's ids when it is an event envelope. */
export function eventIdsOf(value: Buffer | null): Pick<IndexedMessage, 'eventId' | 'eventType' | 'userId' | 'taskId'> {
  const none = { eventId: null, eventType: null, userId: null, taskId: null };
  try {
    const v = JSON.parse(value?.toString('utf8') ?? '') as Record<string, unknown>;
    if (!v || typeof v !== 'object') return none;
    const s = (x: unknown) => (typeof x === 'string' && x.length <= 200 ? x : null);
    return { eventId: s(v.eventId), eventType: s(v.type), userId: s(v.userId), taskId: s(v.taskId) };
  } catch {
    return none;
  }
}

export class DeadLetterIndex {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, private readonly pool: Pool, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId: DEAD_LETTER_INDEX_GROUP, sessionTimeout: 30000, heartbeatInterval: 3000 });
    for (const [topic, group] of KNOWN_SOURCES) deadLettersReceived.inc({ topic, group }, 0);
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...DEAD_LETTER_TOPICS], fromBeginning: true });
    await runConsumer(this.consumer, { autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.handleBatch(p) }, this.log);
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const ms: IndexedMessage[] = batch.messages.map((m) => ({
      ...readDeadLetterHeaders(batch.topic, m.headers, m.timestamp), dltTopic: batch.topic, dltPartition: batch.partition, dltOffset: m.offset,
      key: m.key, value: m.value, ...eventIdsOf(m.value),
    }));
    let indexed;
    try {
      indexed = await retryMessage(() => indexDeadLetters(this.pool, ms), {
        group: DEAD_LETTER_INDEX_GROUP, topic: batch.topic, schedule: { delaysMs: [1000, 5000, 30_000] }, heartbeat, isRunning: () => isRunning() && !isStale(), log: this.log,
      });
    } catch (err) {
      if (err instanceof StoppedWhileRetrying) return;
      throw err;
    }
    if (!indexed.ok) {
      // There is no dead-letter topic of a dead-letter topic: the messages stay in Kafka, only the listing misses them.
      this.log.error('dead letters could not be indexed; they stay on their topic but are not listed', {
        topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset(), lastOffset: batch.lastOffset(), reason: indexed.reason,
      });
    } else {
      for (const m of ms) {
        deadLettersReceived.inc({ topic: batch.topic, group: metricGroup(m.group) });
        this.log.info('dead letter indexed', { topic: batch.topic, sourceTopic: m.sourceTopic, group: m.group, reason: m.reason, eventId: m.eventId, userId: m.userId, taskId: m.taskId });
      }
    }
    await commitBatch(this.consumer, batch, resolveOffset);
    await heartbeat();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
