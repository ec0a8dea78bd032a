/**
 * What a connecting device asks to be replayed (gateway/stream/README.md): the events after the last
 * eventId it saw (`?after=` or the `Last-Event-ID` header), or every event since an instant
 * (`?since=`). Anything else in those parameters is refused before the upgrade, with 400.
 */
import { isInstant, isUuid, type FieldError } from '../../common/validation';

export type ReplayRequest = { after: string } | { since: string };

/** Undefined request: no replay asked for. */
export function parseReplayRequest(query: URLSearchParams, lastEventIdHeader?: string): { request?: ReplayRequest; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const afters = query.getAll('after');
  const sinces = query.getAll('since');
  if (afters.length > 1) errors.push({ field: 'after', message: 'may be given once' });
  if (sinces.length > 1) errors.push({ field: 'since', message: 'may be given once' });
  const after = afters[0] ?? (lastEventIdHeader?.trim() || undefined);
  const since = sinces[0];
  if (after !== undefined && since !== undefined) errors.push({ field: 'since', message: 'give either after (or Last-Event-ID) or since, not both' });
  if (after !== undefined && !isUuid(after)) errors.push({ field: afters.length ? 'after' : 'Last-Event-ID', message: 'must be the eventId (a UUID) of the last event the device saw' });
  if (since !== undefined && !isInstant(since)) {
    errors.push({ field: 'since', message: 'must be an RFC 3339 instant with a zone offset, e.g. 2026-12-01T09:00:00Z' });
  }
  if (errors.length) return { errors };
  if (after !== undefined) return { request: { after: after.toLowerCase() }, errors };
  if (since !== undefined) return { request: { since }, errors };
  return { errors };
}
