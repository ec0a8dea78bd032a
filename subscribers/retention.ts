/** The subscribers' tables and how long their rows are kept (common/db/retention.ts prunes them). */
import type { Config } from '../common/config';
import type { RetentionPolicy } from '../common/db/retention';

/**
 * Throws when NOTIFICATION_RETENTION_MS is shorter than the reminders topic's retention: a
 * notification row is what makes a reminder.due read again (a new consumer group, a reset offset)
 * change nothing, so it must outlive the event in Kafka, or a reminder could be emailed twice.
 */
export function subscriberRetention(c: Pick<Config, 'auditRetentionMs' | 'notificationRetentionMs' | 'deadLetterIndexRetentionMs' | 'kafkaRetentionMs'>): RetentionPolicy[] {
  if (c.notificationRetentionMs > 0 && c.notificationRetentionMs <= c.kafkaRetentionMs) {
    throw new Error(`NOTIFICATION_RETENTION_MS (${c.notificationRetentionMs}) must exceed KAFKA_RETENTION_MS (${c.kafkaRetentionMs}), or a reminder read again from Kafka could be emailed twice; 0 keeps the rows for ever`);
  }
  return [
    { table: 'audit_log', timeColumn: 'recorded_at', retentionMs: c.auditRetentionMs },
    { table: 'notifications', timeColumn: 'updated_at', onlyWhere: "status IN ('sent', 'failed')", retentionMs: c.notificationRetentionMs },
    { table: 'dead_letters', timeColumn: 'dead_lettered_at', retentionMs: c.deadLetterIndexRetentionMs },
    { table: 'admin_actions', timeColumn: 'at', retentionMs: c.auditRetentionMs },
  ];
}
