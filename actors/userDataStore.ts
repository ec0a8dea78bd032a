/**
 * SQL for a user's data as a whole: the export's reads and the erasure's deletes. The erasure runs
 * inside the one transaction of its change (actors/userData.ts), with its user.erased event.
 */
import type { Pool, PoolClient } from 'pg';
import { taskFromRow, type Task, type TaskRow } from '../common/tasks/task';

type Db = Pool | PoolClient;

/** A reminder the user has pending: a Dapr reminder registered (or being registered) for one occurrence of a task. */
export interface PendingReminder {
  taskId: string;
  reminderId: string;
  occurrence: number;
  fireAt: string;
}

export interface UserProfile {
  email: string | null;
  timezone: string | null;
}

export async function userProfile(db: Db, userId: string): Promise<UserProfile | null> {
  const r = await db.query<UserProfile>('SELECT email, timezone FROM users WHERE id = $1', [userId]);
  return r.rows[0] ?? null;
}

/** Every task of the user, open and completed, oldest first. */
export async function allTasks(db: Db, userId: string): Promise<Task[]> {
  const r = await db.query<TaskRow>('SELECT * FROM tasks WHERE user_id = $1 ORDER BY created_at, id', [userId]);
  return r.rows.map(taskFromRow);
}

export async function pendingReminders(db: Db, userId: string): Promise<PendingReminder[]> {
  const r = await db.query<{ task_id: string; reminder_id: string; occurrence: number; fire_at: Date }>(
    "SELECT task_id, reminder_id, occurrence, fire_at FROM reminder_schedule WHERE user_id = $1 AND state = 'active' ORDER BY fire_at, name",
    [userId],
  );
  return r.rows.map((row) => ({ taskId: row.task_id, reminderId: row.reminder_id, occurrence: row.occurrence, fireAt: row.fire_at.toISOString() }));
}

/** What one erasure removed from the actor host's tables. */
export interface ErasedRows {
  tasks: number;
  /** pending reminders cancelled (their rows are deleted right after commit) */
  reminders: number;
  idempotencyKeys: number;
  /** published outbox rows (their events' copies); rows not yet published go out first, then the pruner deletes them */
  outboxRows: number;
}

/**
 * Erases the user's rows. Pending reminders are cancelled unsynced, as any write cancels them, and
 * the reminder sync deletes the rows (actors/reminderSync.ts); the user's alarm, if it still
 * fires, finds nothing due. Fired rows are deleted here.
 */
export async function eraseUserRows(tx: PoolClient, userId: string): Promise<ErasedRows> {
  const count = async (sql: string) => (await tx.query(sql, [userId])).rowCount ?? 0;
  const tasks = await count('DELETE FROM tasks WHERE user_id = $1');
  const reminders = await count(
    "UPDATE reminder_schedule SET state = 'cancelled', synced = false, changed_at = date_trunc('milliseconds', now()) WHERE user_id = $1 AND state = 'active'",
  );
  await count("DELETE FROM reminder_schedule WHERE user_id = $1 AND state = 'fired'");
  const idempotencyKeys = await count('DELETE FROM idempotency_keys WHERE user_id = $1');
  await count('DELETE FROM users WHERE id = $1');
  const outboxRows = await count('DELETE FROM outbox WHERE user_id = $1 AND published_at IS NOT NULL');
  return { tasks, reminders, idempotencyKeys, outboxRows };
}
