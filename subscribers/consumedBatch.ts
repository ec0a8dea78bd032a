/**
 * What every consumer group does with a Kafka batch: validate each event, do its own work with the
 * retry policy of common/consumerRetry.ts, dead-letter what can never succeed, and commit only
 * after its own work and its dead letters are durable.
 */
import type { Batch, Consumer, KafkaMessage } from 'kafkajs';
import type { EventEnvelope } from '../common/events/envelope';
import { readEvent, seqOf } from '../common/events/consumedEvent';
import { originOf, replayedForAnotherGroup, replayTarget, type DeadLetter, type DeadLetters, type Origin } from '../common/deadLetters';
import { consumerPolicies, retryMessage, type RetryContext } from '../common/kafka';
import { scheduleFor } from '../common/consumerRetry';
import type { Logger } from '../common/logger';

export { tracedBatch } from '../common/traceContext';

export interface ConsumedEvent {
  event: EventEnvelope<unknown>;
  offset: string;
  /** The outbox-seq header: the event's position in its user's order; null when a producer left it out. */
  seq: string | null;
  key: Buffer | null;
  value: Buffer | null;
  /** An operator replayed this message for this group (POST /v1/admin/dead-letters/{id}/replay). */
  replayed: boolean;
  /**
   * Where the event was first read: the batch's topic, partition and offset, or, for a replay
   * (read from dead-letter-replays), those of the message that was dead-lettered. A dead letter
   * for it names this place.
   */
  origin: Origin;
}

/**
 * The batch's valid events (docs/API.md, "Events"), dead letters for the rest, each with its reason (a
 * message that does not validate can never succeed: one try, no retry), and how many messages an
 * operator replayed for another consumer group (skipped here).
 */
export function parseBatch(batch: Pick<Batch, 'messages' | 'partition' | 'topic'>, group: string): { events: ConsumedEvent[]; dead: DeadLetter[]; skipped: number } {
  const events: ConsumedEvent[] = [];
  const dead: DeadLetter[] = [];
  let skipped = 0;
  for (const m of batch.messages as KafkaMessage[]) {
    if (replayedForAnotherGroup(m.headers, group)) {
      skipped++;
      continue;
    }
    const origin = originOf(batch.topic, batch.partition, m);
    const read = readEvent(m.value);
    if ('event' in read) {
      events.push({ event: read.event, offset: m.offset, seq: seqOf(m.headers), key: m.key, value: m.value, replayed: replayTarget(m.headers) === group, origin });
    } else {
      dead.push({ key: m.key, value: m.value, reason: read.reason, ...origin, attempts: 1 });
    }
  }
  return { events, dead, skipped };
}

export interface BatchRetry {
  group: string;
  topic: string;
  partition: number;
  heartbeat: () => Promise<void>;
  isRunning: () => boolean;
  log: Logger;
}

/**
 * Writes the events with `write` (which returns rows written): the whole batch in one go while
 * that works or fails transiently (retried without end); if the batch fails otherwise, each event
 * on its own with its group's and type's retry schedule, so one event that cannot be written does
 * not hold the others. Returns rows written and dead letters for the events given up on.
 */
export async function writeWithRetries(events: ConsumedEvent[], write: (events: ConsumedEvent[]) => Promise<number>, r: BatchRetry): Promise<{ written: number; dead: DeadLetter[] }> {
  if (events.length === 0) return { written: 0, dead: [] };
  const ctx = (eventType: string | undefined, ids: Record<string, unknown>): RetryContext => ({
    group: r.group, topic: r.topic, schedule: eventType === undefined ? { delaysMs: [] } : scheduleFor(consumerPolicies(), r.group, eventType),
    heartbeat: r.heartbeat, isRunning: r.isRunning, log: r.log, ids,
  });
  // A batch of one event is that event: its try gets the event's schedule (with none, an unknown
  // failure of a lone event was dead-lettered after one try, whatever its policy said).
  const lone = events.length === 1 ? events[0] : undefined;
  const whole = await retryMessage(() => write(events), lone
    ? ctx(lone.event.type, { eventId: lone.event.eventId, userId: lone.event.userId, taskId: lone.event.taskId, offset: lone.offset })
    : ctx(undefined, { partition: r.partition, events: events.length }));
  if (whole.ok) return { written: whole.value, dead: [] };
  if (events.length > 1) r.log.warn('batch could not be written; writing its events one by one', { group: r.group, topic: r.topic, partition: r.partition, reason: whole.reason });
  let written = 0;
  const dead: DeadLetter[] = [];
  for (const e of events) {
    const one = events.length === 1 ? whole : await retryMessage(() => write([e]), ctx(e.event.type, { eventId: e.event.eventId, userId: e.event.userId, taskId: e.event.taskId, offset: e.offset }));
    if (one.ok) written += one.value;
    else dead.push({ key: e.key, value: e.value, reason: one.reason, ...e.origin, attempts: one.attempts });
  }
  return { written, dead };
}

/** Sends dead letters, retrying transient failures without end; until they are sent the offset does not move. */
export async function sendDeadLetters(deadLetters: DeadLetters, letters: DeadLetter[], r: BatchRetry): Promise<void> {
  if (letters.length === 0) return;
  const sent = await retryMessage(() => deadLetters.send(r.topic, letters), {
    group: r.group, topic: `${r.topic}.dlt`, schedule: { delaysMs: [] }, heartbeat: r.heartbeat, isRunning: r.isRunning, log: r.log,
  });
  if (!sent.ok) {
    // Never dropped: nothing is committed, kafkajs reads the batch again (the writes are idempotent).
    throw new Error(`dead letters for ${r.topic} could not be sent: ${sent.reason}`);
  }
  for (const d of letters) r.log.warn('message sent to the dead-letter topic', { group: r.group, topic: d.sourceTopic ?? r.topic, partition: d.partition, offset: d.offset, attempts: d.attempts, reason: d.reason });
}

/**
 * Moves the group's committed offset past the whole batch. Call only once the batch's effects are
 * durable. With autoCommit off, kafkajs's commitOffsetsIfNecessary commits nothing, so this commits
 * explicitly (the committed offset is the next one to read).
 */
export async function commitBatch(consumer: Consumer, batch: Batch, resolveOffset: (offset: string) => void): Promise<void> {
  const last = batch.messages[batch.messages.length - 1].offset;
  resolveOffset(last);
  await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
}

