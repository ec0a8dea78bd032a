/**
 * SQL for a user's tasks and their outbox rows. Only UserActor calls the writing functions, always
 * inside one transaction per change, so a task change and its event commit or roll back together.
 */
import type { Pool, PoolClient } from 'pg';
import type { CursorPosition, ListQuery, SortField } from '../common/tasks/listQuery';
import { taskFromRow, type Task, type TaskRow } from '../common/tasks/task';

type Db = Pool | PoolClient;

export async function getTask(db: Db, userId: string, taskId: string): Promise<Task | null> {
  const r = await db.query<TaskRow>('SELECT * FROM tasks WHERE user_id = $1 AND id = $2', [userId, taskId]);
  return r.rows[0] ? taskFromRow(r.rows[0]) : null;
}

/** The user's tasks with these ids (those that exist), by id. */
export async function getTasks(db: Db, userId: string, taskIds: string[]): Promise<Map<string, Task>> {
  const r = await db.query<TaskRow>('SELECT * FROM tasks WHERE user_id = $1 AND id = ANY($2::text[])', [userId, taskIds]);
  return new Map(r.rows.map((row) => [row.id, taskFromRow(row)]));
}

/** The insert of a whole task row, its values in taskValues' order. */
const INSERT_TASK = `INSERT INTO tasks (user_id, id, title, description, status, priority, tags, due, timezone, recurrence, reminders,
                   series_id, occurrence, created_at, updated_at, completed_at, version)
  VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`;

const taskValues = (userId: string, t: Task): unknown[] => [userId, t.id, t.title, t.description, t.status, t.priority, t.tags, t.due, t.timezone,
  t.recurrence === null ? null : JSON.stringify(t.recurrence), JSON.stringify(t.reminders),
  t.seriesId, t.occurrence, t.createdAt, t.updatedAt, t.completedAt, t.version];

/** What a create writes beside the task: the profile from the caller's token, and the Idempotency-Key if one came. */
export interface NewTaskContext {
  email?: string;
  /** The zone the caller gave (zoneinfo claim or X-Timezone), if any. */
  timezone?: string;
  idempotency?: { key: string; requestHash: string };
}

/**
 * One statement (prepared once per connection) for a create: remembers the user's e-mail address
 * and zone from their latest token (only when they changed: reminders go there), maps the
 * Idempotency-Key to the new task and the request's hash (a key whose task was deleted since now
 * names the new one), and inserts the task.
 */
export async function insertNewTask(db: PoolClient, userId: string, t: Task, ctx: NewTaskContext): Promise<void> {
  await db.query({
    name: 'tasks-insert-new',
    text: `WITH profile AS (
        INSERT INTO users (id, email, timezone) VALUES ($1, $18::text, $19::text)
        ON CONFLICT (id) DO UPDATE SET email = COALESCE(EXCLUDED.email, users.email),
          timezone = COALESCE(EXCLUDED.timezone, users.timezone), updated_at = now()
        WHERE users.email IS DISTINCT FROM COALESCE(EXCLUDED.email, users.email)
           OR users.timezone IS DISTINCT FROM COALESCE(EXCLUDED.timezone, users.timezone)
      ), idempotency AS (
        INSERT INTO idempotency_keys (user_id, key, task_id, request_hash) SELECT $1, $20::text, $2, $21::text WHERE $20::text IS NOT NULL
        ON CONFLICT (user_id, key) DO UPDATE SET task_id = EXCLUDED.task_id, request_hash = EXCLUDED.request_hash, created_at = now()
      )
      ${INSERT_TASK}`,
    values: [...taskValues(userId, t), ctx.email ?? null, ctx.timezone ?? null, ctx.idempotency?.key ?? null, ctx.idempotency?.requestHash ?? null],
  });
}

/** What an Idempotency-Key already produced for this user, and the hash of the request it came with (null before migration 8). */
export async function idempotencyRecord(db: Db, userId: string, key: string): Promise<{ taskId: string; requestHash: string | null } | null> {
  const r = await db.query<{ task_id: string; request_hash: string | null }>('SELECT task_id, request_hash FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
  return r.rows[0] ? { taskId: r.rows[0].task_id, requestHash: r.rows[0].request_hash } : null;
}

/**
 * Writes every mutable column of `t` (whose version is already the new one), only if the stored
 * version is still `expectedVersion`. Returns false when another writer got there first: during
 * a placement rebalance two hosts may briefly both think they own an actor.
 */
export async function updateTask(db: PoolClient, userId: string, t: Task, expectedVersion: number): Promise<boolean> {
  const r = await db.query(
    `UPDATE tasks SET title = $3, description = $4, status = $5, priority = $6, tags = $7, due = $8, timezone = $9,
            recurrence = $10, reminders = $11, updated_at = $12, completed_at = $13, version = $14
      WHERE user_id = $1 AND id = $2 AND version = $15`,
    [userId, t.id, t.title, t.description, t.status, t.priority, t.tags, t.due, t.timezone,
      t.recurrence === null ? null : JSON.stringify(t.recurrence), JSON.stringify(t.reminders),
      t.updatedAt, t.completedAt, t.version, expectedVersion],
  );
  return r.rowCount === 1;
}

export async function deleteTask(db: PoolClient, userId: string, taskId: string, expectedVersion: number): Promise<boolean> {
  const r = await db.query('DELETE FROM tasks WHERE user_id = $1 AND id = $2 AND version = $3', [userId, taskId, expectedVersion]);
  return r.rowCount === 1;
}

/** The task of a series with this occurrence number, if it exists. */
export async function getOccurrence(db: Db, userId: string, seriesId: string, occurrence: number): Promise<Task | null> {
  const r = await db.query<TaskRow>('SELECT * FROM tasks WHERE user_id = $1 AND series_id = $2 AND occurrence = $3', [userId, seriesId, occurrence]);
  return r.rows[0] ? taskFromRow(r.rows[0]) : null;
}

/** Inserts the task unless its (series, occurrence) exists already; true when this call inserted it. */
export async function insertOccurrence(db: PoolClient, userId: string, t: Task): Promise<boolean> {
  const r = await db.query(
    `${INSERT_TASK}
     ON CONFLICT (user_id, series_id, occurrence) WHERE series_id IS NOT NULL DO NOTHING`,
    taskValues(userId, t),
  );
  return r.rowCount === 1;
}

/** SQL for each sort: NULL due dates sort after every date in ascending order. */
const SORT_SQL: Record<SortField, { expr: string; cast: string }> = {
  due: { expr: "COALESCE(due, 'infinity'::timestamptz)", cast: 'timestamptz' },
  priority: { expr: "array_position(ARRAY['none','low','medium','high','urgent']::text[], priority)", cast: 'integer' },
  createdAt: { expr: 'created_at', cast: 'timestamptz' },
  updatedAt: { expr: 'updated_at', cast: 'timestamptz' },
  title: { expr: 'lower(title) COLLATE "C"', cast: 'text' },
};

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The statement of one page of GET /v1/tasks (one more row than the page, to know whether more remain). */
export function listTasksStatement(userId: string, q: ListQuery, now: Date): { text: string; values: unknown[] } {
  const params: unknown[] = [userId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['user_id = $1'];
  const f = q.filter;
  if (f.status) where.push(`status = ${p(f.status)}`);
  if (f.priority) where.push(`priority = ${p(f.priority)}`);
  if (f.tags.length) where.push(`tags @> ${p(f.tags)}::text[]`);
  if (f.q) {
    // Served by the trigram index tasks_search_trgm (migration 010): the expression must be the indexed one.
    where.push(`task_search_text(title, description, tags) ILIKE ${p(likePattern(f.q))}`);
  }
  if (f.dueAfter) where.push(`due >= ${p(f.dueAfter)}`);
  if (f.dueBefore) where.push(`due < ${p(f.dueBefore)}`);
  if (f.overdue) where.push(`status = 'open' AND due < ${p(now.toISOString())}`);
  const s = SORT_SQL[q.sort];
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  if (q.after) where.push(`(${s.expr}, id) ${q.order === 'asc' ? '>' : '<'} (${p(q.after.value)}::${s.cast}, ${p(q.after.id)})`);
  return {
    text: `SELECT *, (${s.expr})::text AS sort_value FROM tasks WHERE ${where.join(' AND ')}
      ORDER BY ${s.expr} ${dir}, id ${dir} LIMIT ${p(q.limit + 1)}`,
    values: params,
  };
}

/** One page of the user's tasks, and where it ended (for the next cursor) if more remain. */
export async function listTasks(db: Db, userId: string, q: ListQuery, now: Date): Promise<{ items: Task[]; last: CursorPosition | null }> {
  const st = listTasksStatement(userId, q, now);
  const rows = (await db.query<TaskRow & { sort_value: string }>(st.text, st.values)).rows;
  const page = rows.slice(0, q.limit);
  const lastRow = page[page.length - 1];
  return { items: page.map(taskFromRow), last: rows.length > q.limit && lastRow ? { value: lastRow.sort_value, id: lastRow.id } : null };
}

/** The user's tasks as the chat needs them to resolve "the dentist one": most recently changed first, at most `limit`. */
export async function listSummaries(db: Db, userId: string, limit: number): Promise<Array<Pick<Task, 'id' | 'title' | 'tags' | 'status' | 'due'>>> {
  const r = await db.query<{ id: string; title: string; tags: string[]; status: Task['status']; due: Date | null }>(
    'SELECT id, title, tags, status, due FROM tasks WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2', [userId, limit]);
  return r.rows.map((x) => ({ id: x.id, title: x.title, tags: x.tags, status: x.status, due: x.due ? x.due.toISOString() : null }));
}

/** The zone the user last gave (zoneinfo claim or X-Timezone), if any. */
export async function userTimezone(db: Db, userId: string): Promise<string | null> {
  const r = await db.query<{ timezone: string | null }>('SELECT timezone FROM users WHERE id = $1', [userId]);
  return r.rows[0]?.timezone ?? null;
}
