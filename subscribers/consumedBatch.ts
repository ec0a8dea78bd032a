/** What every consumer group does with a Kafka batch: validate each event, and commit after its own work. */
import type { Batch, Consumer } from 'kafkajs';
import type { EventEnvelope } from '../common/events/envelope';
import { readEvent, seqOf } from '../common/events/consumedEvent';
import type { DeadLetter } from '../common/deadLetters';

export interface ConsumedEvent {
  event: EventEnvelope<unknown>;
  offset: string;
  /** The outbox-seq header: the event's position in its user's order; null when a producer left it out. */
  seq: string | null;
}

/** The batch's valid events (docs/API.md, "Events"), and dead letters for the rest, each with its reason. */
export function parseBatch(batch: Pick<Batch, 'messages'>): { events: ConsumedEvent[]; dead: DeadLetter[] } {
  const events: ConsumedEvent[] = [];
  const dead: DeadLetter[] = [];
  for (const m of batch.messages) {
    const read = readEvent(m.value);
    if ('event' in read) events.push({ event: read.event, offset: m.offset, seq: seqOf(m.headers) });
    else dead.push({ key: m.key, value: m.value, reason: read.reason });
  }
  return { events, dead };
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
