import type { Migration } from '../migrations';

export const m003NotificationClaims: Migration = {
  version: 3,
  name: 'index of notifications claimed for sending, for the sweep of claims a dead subscriber left behind',
  sql: `
-- The notification subscriber claims a row ('sending') before it talks to SMTP and settles it after.
-- A claim older than its lease belongs to a process that died mid-send; the sweep finds those often,
-- and there are only ever a few, so a partial index keeps that lookup off the whole table.
CREATE INDEX notifications_sending ON notifications (updated_at) WHERE status = 'sending';
`,
};
