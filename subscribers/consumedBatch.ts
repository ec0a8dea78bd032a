/** What every consumer group does with a Kafka batch: validate each event, and commit after its own work. */
import type { Batch, Consumer } from 'kafkajs';
import type { EventEnvelope } from '../common/events/envelope';
import { validateEvent } from '../common/validation';
import type { DeadLetter } from './deadLetters';

/** The batch's valid events (CONTRACT.md §5), and dead letters for the rest, each with its reason. */
export function parseBatch(batch: Batch): { events: Array<{ event: EventEnvelope<unknown>; offset: string }>; dead: DeadLetter[] } {
  const events: Array<{ event: EventEnvelope<unknown>; offset: string }> = [];
  const dead: DeadLetter[] = [];
  for (const m of batch.messages) {
    let event: unknown;
    let reason: string | undefined;
    try {
      event = JSON.parse(m.value?.toString('utf8') ?? '');
      const v = validateEvent(event);
      if (!v.ok) reason = `invalid event: ${v.details.map((d) => `${d.field} ${d.message}`).join('; ')}`;
    } catch (err) {
      reason = `not JSON: ${(err as Error).message}`;
    }
    if (reason) dead.push({ key: m.key, value: m.value, reason });
    else events.push({ event: event as EventEnvelope<unknown>, offset: m.offset });
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
