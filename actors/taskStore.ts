/**
 * SQL for a user's tasks and their outbox rows. Only UserActor calls the writing functions, always
 * inside one transaction per change, so a task change and its event commit or roll back together.
 */
import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '../common/events/envelope';
import { topicOf } from '../common/events/envelope';
import { taskFromRow, type Task, type TaskRow } from '../common/tasks/task';

type Db = Pool | PoolClient;

export async function getTask(db: Db, userId: string, taskId: string): Promise<Task | null> {
  const r = await db.query<TaskRow>('SELECT * FROM tasks WHERE user_id = $1 AND id = $2', [userId, taskId]);
  return r.rows[0] ? taskFromRow(r.rows[0]) : null;
}

export async function insertTask(db: PoolClient, userId: string, t: Task): Promise<void> {
  await db.query(
    `INSERT INTO tasks (user_id, id, title, description, status, priority, tags, due, timezone, recurrence, reminders,
                        series_id, occurrence, created_at, updated_at, completed_at, version)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
    [userId, t.id, t.title, t.description, t.status, t.priority, t.tags, t.due, t.timezone,
      t.recurrence === null ? null : JSON.stringify(t.recurrence), JSON.stringify(t.reminders),
      t.seriesId, t.occurrence, t.createdAt, t.updatedAt, t.completedAt, t.version],
  );
}

/** The task an Idempotency-Key already produced for this user, if any. */
export async function taskIdForIdempotencyKey(db: Db, userId: string, key: string): Promise<string | null> {
  const r = await db.query<{ task_id: string }>('SELECT task_id FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
  return r.rows[0]?.task_id ?? null;
}

export async function recordIdempotencyKey(db: PoolClient, userId: string, key: string, taskId: string): Promise<void> {
  await db.query('INSERT INTO idempotency_keys (user_id, key, task_id) VALUES ($1, $2, $3)', [userId, key, taskId]);
}

/** Remembers the user's e-mail address and zone from their latest token, for reminders. */
export async function upsertUser(db: PoolClient, userId: string, email: string | undefined, timezone: string | undefined): Promise<void> {
  await db.query(
    `INSERT INTO users (id, email, timezone) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET email = COALESCE(EXCLUDED.email, users.email),
       timezone = COALESCE(EXCLUDED.timezone, users.timezone), updated_at = now()
     WHERE users.email IS DISTINCT FROM COALESCE(EXCLUDED.email, users.email)
        OR users.timezone IS DISTINCT FROM COALESCE(EXCLUDED.timezone, users.timezone)`,
    [userId, email ?? null, timezone ?? null],
  );
}

export async function insertOutboxEvent(db: PoolClient, event: EventEnvelope<unknown>): Promise<void> {
  await db.query('INSERT INTO outbox (event_id, user_id, topic, payload) VALUES ($1, $2, $3, $4)', [
    event.eventId, event.userId, topicOf(event.type), JSON.stringify(event),
  ]);
}
