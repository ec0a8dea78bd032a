/**
 * What a consumer group gives up on goes to the source topic's dead-letter topic (`<topic>.dlt`,
 * retention per topic: DLT_RETENTION_*), with the message's own key and value and, in headers,
 * where it came from and why: the original topic, partition and offset, the consumer group, the
 * reason, the tries made and the time (subscribers/deadLetters/README.md). The operator API lists and replays
 * them (subscribers/deadLetters/).
 */
import type { IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { config } from './config';
import { deadLetterTopic, REPLAY_TOPIC, TOPICS } from './events/envelope';

export interface DeadLetter {
  /** The topic it was first read from, when that is not the one the consumer read it from now (a replay). */
  sourceTopic?: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  reason: string;
  /** Where the message was read; null when the consumer never read it from Kafka itself. */
  partition: number | null;
  offset: string | null;
  /** Tries made before giving up (1: dead-lettered at the first, as a message that can never succeed). */
  attempts: number;
}

export const DLT_HEADERS = {
  reason: 'dlt-reason',
  group: 'dlt-group',
  sourceTopic: 'dlt-source-topic',
  sourcePartition: 'dlt-source-partition',
  sourceOffset: 'dlt-source-offset',
  attempts: 'dlt-attempts',
  time: 'dlt-time',
} as const;

/**
 * Headers of a message an operator sent again (POST /v1/admin/dead-letters/{id}/replay), on
 * dead-letter-replays (REPLAY_TOPIC): only the named consumer group acts on it, every other group
 * reading the topic skips it; the source headers say where the dead-lettered message was read.
 */
export const REPLAY_HEADERS = {
  group: 'dlt-replay-group', id: 'dlt-replay-id',
  sourceTopic: 'dlt-replay-source-topic', sourcePartition: 'dlt-replay-source-partition', sourceOffset: 'dlt-replay-source-offset',
} as const;

/** Where a consumed message was first read (what a dead letter for it names). */
export interface Origin {
  sourceTopic: string;
  partition: number | null;
  offset: string | null;
}

/**
 * The read position itself for an ordinary message; for a replay read from REPLAY_TOPIC, the
 * topic, partition and offset of the message that was dead-lettered (its replay headers).
 */
export function originOf(topic: string, partition: number, message: Pick<KafkaMessage, 'headers' | 'offset'>): Origin {
  if (topic !== REPLAY_TOPIC) return { sourceTopic: topic, partition, offset: message.offset };
  const source = header(message.headers, REPLAY_HEADERS.sourceTopic);
  const p = header(message.headers, REPLAY_HEADERS.sourcePartition);
  const o = header(message.headers, REPLAY_HEADERS.sourceOffset);
  if (source === undefined || !/^[a-z0-9._-]{1,200}$/.test(source)) return { sourceTopic: topic, partition, offset: message.offset };
  return {
    sourceTopic: source,
    partition: p !== undefined && /^\d{1,9}$/.test(p) ? Number(p) : null,
    offset: o !== undefined && /^\d{1,19}$/.test(o) ? o : null,
  };
}

/** Retention of each dead-letter topic (topics without their own setting keep KAFKA_RETENTION_MS). */
export function deadLetterRetentionMs(dlt: string, c: Pick<typeof config, 'dltRetentionTaskEventsMs' | 'dltRetentionRemindersMs' | 'dltRetentionTaskUpdatesMs' | 'kafkaRetentionMs'> = config): number {
  switch (dlt) {
    case deadLetterTopic(TOPICS.taskEvents): return c.dltRetentionTaskEventsMs;
    case deadLetterTopic(TOPICS.reminders): return c.dltRetentionRemindersMs;
    case deadLetterTopic(TOPICS.taskUpdates): return c.dltRetentionTaskUpdatesMs;
    default: return c.kafkaRetentionMs;
  }
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v === undefined ? undefined : v.toString();
}

/** The consumer group a replayed message is meant for, or undefined for an ordinary message. */
export function replayTarget(headers: IHeaders | undefined): string | undefined {
  return header(headers, REPLAY_HEADERS.group);
}

/** True when this group must skip the message: an operator replayed it for another group. */
export function replayedForAnotherGroup(headers: IHeaders | undefined, group: string): boolean {
  const target = replayTarget(headers);
  return target !== undefined && target !== group;
}

export interface DeadLetterRecord {
  sourceTopic: string;
  sourcePartition: number | null;
  sourceOffset: string | null;
  group: string;
  reason: string;
  attempts: number;
  time: string;
}

/** The provenance of a message read from a dead-letter topic (defaults for headers a producer left out). */
export function readDeadLetterHeaders(dltTopic: string, headers: IHeaders | undefined, timestamp: string): DeadLetterRecord {
  const partition = header(headers, DLT_HEADERS.sourcePartition);
  const offset = header(headers, DLT_HEADERS.sourceOffset);
  const attempts = Number(header(headers, DLT_HEADERS.attempts));
  const time = header(headers, DLT_HEADERS.time);
  return {
    sourceTopic: header(headers, DLT_HEADERS.sourceTopic) ?? dltTopic.replace(/\.dlt$/, ''),
    sourcePartition: partition !== undefined && /^\d{1,9}$/.test(partition) ? Number(partition) : null,
    sourceOffset: offset !== undefined && /^\d{1,19}$/.test(offset) ? offset : null,
    group: header(headers, DLT_HEADERS.group) ?? 'unknown',
    reason: (header(headers, DLT_HEADERS.reason) ?? 'no reason given').slice(0, 2000),
    attempts: Number.isInteger(attempts) && attempts >= 0 ? attempts : 1,
    time: time !== undefined && !Number.isNaN(Date.parse(time)) ? new Date(time).toISOString() : new Date(Number(timestamp)).toISOString(),
  };
}

export class DeadLetters {
  private readonly producer: Producer;

  constructor(kafka: Kafka, private readonly group: string) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /**
   * Sends each letter to the dead-letter topic of its source topic (its own sourceTopic, else the
   * one given). Resolves once every replica has the messages (acks -1): only then may the caller move on.
   */
  async send(sourceTopic: string, letters: DeadLetter[], now: Date = new Date()): Promise<void> {
    if (letters.length === 0) return;
    const bySource = new Map<string, DeadLetter[]>();
    for (const d of letters) {
      const source = d.sourceTopic ?? sourceTopic;
      bySource.set(source, [...(bySource.get(source) ?? []), d]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...bySource].map(([source, ls]) => ({
        topic: deadLetterTopic(source),
        messages: ls.map((d) => {
          const headers: IHeaders = {
            [DLT_HEADERS.reason]: d.reason.slice(0, 2000), [DLT_HEADERS.group]: this.group, [DLT_HEADERS.sourceTopic]: source,
            [DLT_HEADERS.attempts]: String(d.attempts), [DLT_HEADERS.time]: now.toISOString(),
          };
          if (d.partition !== null) headers[DLT_HEADERS.sourcePartition] = String(d.partition);
          if (d.offset !== null) headers[DLT_HEADERS.sourceOffset] = d.offset;
          return { key: d.key, value: d.value, headers };
        }),
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect().catch(() => undefined);
  }
}
