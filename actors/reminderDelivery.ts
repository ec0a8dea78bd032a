/**
 * reminders[].lastDelivery on the tasks a user reads: how each reminder's last email went (sent,
 * or failed for good, with when and a short reason). The notification subscriber's outcome lives
 * in its notifications table (subscribers/notifications/README.md), in the same database; it is
 * read with the task and never written into the task, so it neither changes the task's version
 * nor races the actor's writes. A row pruned by NOTIFICATION_RETENTION_MS takes its
 * lastDelivery with it.
 */
import type { Pool, PoolClient } from 'pg';
import type { LastDelivery, Task } from '../common/tasks/task';

export const MAX_REASON_CHARS = 200;

export interface DeliveryRow {
  task_id: string;
  reminder_id: string;
  status: 'sent' | 'failed';
  at: Date;
  reason: string | null;
}

/** The reason a client is shown: one line, at most 200 characters. */
export function shortReason(reason: string): string {
  const line = reason.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_REASON_CHARS ? line : `${line.slice(0, MAX_REASON_CHARS - 1)}…`;
}

/** The tasks with each reminder's latest settled outcome (rows: newest per task and reminder). Pure. */
export function mergeLastDelivery(tasks: Task[], rows: readonly DeliveryRow[]): Task[] {
  if (rows.length === 0) return tasks;
  const byKey = new Map(rows.map((r) => [`${r.task_id}\u0000${r.reminder_id}`, r]));
  return tasks.map((t) => {
    if (!t.reminders.some((rem) => byKey.has(`${t.id}\u0000${rem.id}`))) return t;
    return {
      ...t,
      reminders: t.reminders.map((rem) => {
        const r = byKey.get(`${t.id}\u0000${rem.id}`);
        if (!r) return rem;
        const lastDelivery: LastDelivery = { status: r.status, at: r.at.toISOString() };
        if (r.status === 'failed' && r.reason) lastDelivery.reason = shortReason(r.reason);
        return { ...rem, lastDelivery };
      }),
    };
  });
}

/** The newest settled notification of each reminder of these tasks. */
export async function lastDeliveries(db: Pool | PoolClient, userId: string, taskIds: string[]): Promise<DeliveryRow[]> {
  if (taskIds.length === 0) return [];
  return (await db.query<DeliveryRow>(
    `SELECT DISTINCT ON (task_id, reminder_id) task_id, reminder_id, status, updated_at AS at, last_error AS reason
       FROM notifications WHERE user_id = $1 AND task_id = ANY($2::text[]) AND status IN ('sent', 'failed')
      ORDER BY task_id, reminder_id, updated_at DESC`,
    [userId, taskIds],
  )).rows;
}

/** The tasks as a user reads them: with reminders[].lastDelivery. */
export async function withLastDelivery(db: Pool | PoolClient, userId: string, tasks: Task[]): Promise<Task[]> {
  const withReminders = tasks.filter((t) => t.reminders.length > 0).map((t) => t.id);
  return mergeLastDelivery(tasks, await lastDeliveries(db, userId, withReminders));
}

/** One reminder's latest email, for the chat's "did my reminder go out?". */
export interface DeliveryReport {
  taskId: string;
  reminderId: string;
  title: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  /** When the row last changed: sent, given up, or the last failed try. */
  at: string;
  /** The last error (failed, or a pending retry's), one short line. */
  reason: string | null;
  /** Tries that failed so far (pending), or tries made (sent, failed). */
  attempts: number;
}

/**
 * The latest email of each reminder, newest first, at most `limit`: of these tasks, or, with
 * taskIds null, of every task of the user.
 */
export async function deliveryReports(db: Pool | PoolClient, userId: string, taskIds: string[] | null, limit: number): Promise<DeliveryReport[]> {
  const rows = (await db.query<{ task_id: string; reminder_id: string; title: string | null; status: DeliveryReport['status']; at: Date; reason: string | null; attempts: number }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (task_id, reminder_id) task_id, reminder_id, event->'data'->'task'->>'title' AS title, status, updated_at AS at, last_error AS reason, attempts
         FROM notifications WHERE user_id = $1 AND ($2::text[] IS NULL OR task_id = ANY($2::text[]))
        ORDER BY task_id, reminder_id, created_at DESC) latest
     ORDER BY at DESC LIMIT $3`,
    [userId, taskIds, limit],
  )).rows;
  return rows.map((r) => ({
    taskId: r.task_id, reminderId: r.reminder_id, title: r.title ?? '', status: r.status, at: r.at.toISOString(),
    reason: r.reason ? shortReason(r.reason) : null, attempts: r.attempts,
  }));
}
