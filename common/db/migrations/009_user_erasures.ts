import type { Migration } from '../migrations';

export const m009UserErasures: Migration = {
  version: 9,
  name: 'user_erasures: what the subscribers erased for a user.erased event, and the line no older event of that user crosses again',
  sql: `
-- One row per user.erased event the audit consumer recorded (subscribers/erasure/userErasure.ts).
-- erased_at is the event's time: an audit row, notification or dead letter of the user older than
-- it is deleted when the event is recorded, and one that arrives later (an event published before
-- the erasure but consumed after it) is never written. Holds counts only, never content.
CREATE TABLE user_erasures (
  event_id       uuid        PRIMARY KEY,
  user_id        text        NOT NULL,
  erased_at      timestamptz NOT NULL,
  audit_rows     integer     NOT NULL,
  notifications  integer     NOT NULL,
  dead_letters   integer     NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_erasures_user ON user_erasures (user_id, erased_at DESC);
`,
};
