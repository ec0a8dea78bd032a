import type { Migration } from '../migrations';

export const m006Retention: Migration = {
  version: 6,
  name: 'indexes for the retention of audit_log, idempotency_keys and notifications, and for reading a task\'s reminder outcomes',
  sql: `
-- common/db/retention.ts deletes rows past their table's retention, oldest first, in batches:
-- each batch finds its rows by these indexes instead of scanning the table.
CREATE INDEX audit_log_recorded_at ON audit_log (recorded_at);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
-- Only settled notifications are ever deleted; pending and sending ones are the worker's.
CREATE INDEX notifications_settled_at ON notifications (updated_at) WHERE status IN ('sent', 'failed');
-- reminders[].lastDelivery: a user's tasks' settled notifications (actors/reminderDelivery.ts).
CREATE INDEX notifications_user_task ON notifications (user_id, task_id);
`,
};
