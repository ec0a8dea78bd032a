/**
 * Idempotency-Key, as draft-ietf-httpapi-idempotency-key-header has it: a key is bound to a
 * fingerprint of the request it first came with. The same key with the same request answers the
 * first result again; with another request it is refused, 422, instead of silently answering the
 * first request's result. Enforced in the user's actor (createTask, chat), whose turns are
 * serialised, so two requests with one key cannot race.
 */
import { createHash } from 'node:crypto';
import type { ActorError } from '../common/actorApi';

/** JSON with object keys sorted at every level: two bodies that are equal as JSON hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a request: which kind of request (a REST create, a chat message) and its payload. */
export function requestHash(kind: 'createTask' | 'chat', payload: unknown): string {
  return createHash('sha256').update(kind).update('\n').update(canonicalJson(payload)).digest('hex');
}

/** A key recorded with another request's hash (a key recorded before hashes were kept binds nothing). */
export function reusedWithAnotherRequest(recorded: string | null, hash: string): boolean {
  return recorded !== null && recorded !== hash;
}

export function keyReusedError(): { ok: false; error: ActorError } {
  return {
    ok: false,
    error: {
      status: 422, code: 'idempotency_key_reused',
      message: 'this Idempotency-Key was already used with a different request; use a new key for a new request',
      details: [{ field: 'Idempotency-Key', message: 'was first used with another request body' }],
    },
  };
}
