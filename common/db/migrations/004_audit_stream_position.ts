import type { Migration } from '../migrations';

export const m004AuditStreamPosition: Migration = {
  version: 4,
  name: 'audit_log.outbox_seq: each event\'s position in its user\'s order, for the device stream\'s replay',
  sql: `
-- The outbox's seq travels with every published message (Kafka header outbox-seq). Per user it is
-- the commit order of the events (common/db/outbox.ts serialises a user's outbox writers), which is
-- also the order devices receive them in; the stream's replay (gateway/stream/README.md) reads a
-- user's missed events by it.
ALTER TABLE audit_log ADD COLUMN outbox_seq bigint;
-- Events audited before this column existed get their position from the outbox, where it still has them.
UPDATE audit_log a SET outbox_seq = o.seq FROM outbox o WHERE o.event_id = a.event_id AND a.outbox_seq IS NULL;
CREATE INDEX audit_log_user_seq ON audit_log (user_id, outbox_seq) WHERE outbox_seq IS NOT NULL;
-- When the row was written (clock_timestamp), not when the audit consumer's statement began (now()):
-- the events benchmark measures the lag from publish to audit with it.
ALTER TABLE audit_log ALTER COLUMN recorded_at SET DEFAULT clock_timestamp();
`,
};
