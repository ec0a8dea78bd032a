/**
 * What every consumer does with one Kafka message before acting on it: parse it, validate it as a
 * consumer (common/events/README.md: unknown type or major version refused, unknown fields ignored),
 * and read its position header.
 */
import type { IHeaders } from 'kafkajs';
import { validateConsumedEvent } from '../validation';
import { SEQ_HEADER, type EventEnvelope } from './envelope';

/** The outbox-seq header of a message, when it is a decimal number; null otherwise. */
export function seqOf(headers: IHeaders | undefined): string | null {
  const raw = headers?.[SEQ_HEADER];
  const v = Array.isArray(raw) ? raw[0] : raw;
  const s = v === undefined ? '' : v.toString();
  return /^[0-9]{1,18}$/.test(s) ? s : null;
}

/** The event in a message value, or why it is not one a consumer may act on (the dead-letter reason). */
export function readEvent(value: Buffer | null): { event: EventEnvelope<unknown> } | { reason: string } {
  let event: unknown;
  try {
    event = JSON.parse(value?.toString('utf8') ?? '');
  } catch (err) {
    return { reason: `not JSON: ${(err as Error).message}` };
  }
  const v = validateConsumedEvent(event);
  if (!v.ok) return { reason: `invalid event: ${v.details.map((d) => `${d.field} ${d.message}`).join('; ')}` };
  return { event: event as EventEnvelope<unknown> };
}
