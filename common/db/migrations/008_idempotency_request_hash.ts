import type { Migration } from '../migrations';

export const m008IdempotencyRequestHash: Migration = {
  version: 8,
  name: 'idempotency_keys.request_hash: a key is bound to the request it was first used with',
  sql: `
-- The SHA-256 of the request an Idempotency-Key first came with (actors/idempotency.ts): the same
-- key with another request is refused (422) instead of answering the first request's result.
-- Keys recorded before this column have none and keep answering as they did.
ALTER TABLE idempotency_keys ADD COLUMN request_hash text;
`,
};
