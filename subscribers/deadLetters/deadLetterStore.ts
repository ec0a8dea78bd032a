/**
 * The dead-letter index (table dead_letters, migration 005): one row per message on a dead-letter
 * topic, written by the dead-letter-index consumer, with the status operators gave it; and
 * admin_actions, the operators' audit trail. Kafka keeps the messages themselves; nothing here
 * deletes from a topic.
 */
import type { PoolClient, Pool } from 'pg';
import type { DeadLetterRecord } from '../../common/deadLetters';

export type DeadLetterStatus = 'dead' | 'replayed' | 'discarded';
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ['dead', 'replayed', 'discarded'];

export interface IndexedMessage extends DeadLetterRecord {
  dltTopic: string;
  dltPartition: number;
  dltOffset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Read from the value when it is an event envelope (for the listing). */
  eventId: string | null;
  eventType: string | null;
  userId: string | null;
  taskId: string | null;
}

/** What the operator API shows of a dead letter. */
export interface DeadLetterView {
  id: string;
  topic: string;
  partition: number | null;
  offset: string | null;
  key: string | null;
  group: string;
  reason: string;
  attempts: number;
  deadLetteredAt: string;
  deadLetterTopic: string;
  eventId: string | null;
  eventType: string | null;
  userId: string | null;
  taskId: string | null;
  status: DeadLetterStatus;
  replays: number;
  lastReplayedAt: string | null;
  discardedAt: string | null;
  /** The message's value as text (JSON for an event), cut at 64 KiB. */
  value: string | null;
}

export const deadLetterId = (topic: string, partition: number, offset: string): string => `${topic}:${partition}:${offset}`;
export const DEAD_LETTER_ID = /^[a-z0-9._-]{1,200}\.dlt:\d{1,9}:\d{1,19}$/;

/** Records the messages read from a dead-letter topic; a message indexed before is left as it is. Returns rows inserted. */
export async function indexDeadLetters(pool: Pool, ms: IndexedMessage[]): Promise<number> {
  if (ms.length === 0) return 0;
  const res = await pool.query(
    `INSERT INTO dead_letters (id, dlt_topic, dlt_partition, dlt_offset, source_topic, source_partition, source_offset, consumer_group, reason, attempts,
                               dead_lettered_at, message_key, message_value, event_id, event_type, user_id, task_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::text[], $10::int[],
                          $11::timestamptz[], $12::bytea[], $13::bytea[], $14::text[], $15::text[], $16::text[], $17::text[])
     ON CONFLICT (id) DO NOTHING`,
    [
      ms.map((m) => deadLetterId(m.dltTopic, m.dltPartition, m.dltOffset)), ms.map((m) => m.dltTopic), ms.map((m) => m.dltPartition), ms.map((m) => m.dltOffset),
      ms.map((m) => m.sourceTopic), ms.map((m) => m.sourcePartition), ms.map((m) => m.sourceOffset), ms.map((m) => m.group), ms.map((m) => m.reason),
      ms.map((m) => m.attempts), ms.map((m) => m.time), ms.map((m) => m.key), ms.map((m) => m.value), ms.map((m) => m.eventId), ms.map((m) => m.eventType),
      ms.map((m) => m.userId), ms.map((m) => m.taskId),
    ],
  );
  return res.rowCount ?? 0;
}

interface Row {
  id: string;
  dlt_topic: string;
  source_topic: string;
  source_partition: number | null;
  source_offset: string | null;
  consumer_group: string;
  reason: string;
  attempts: number;
  dead_lettered_at: Date;
  message_key: Buffer | null;
  message_value: Buffer | null;
  event_id: string | null;
  event_type: string | null;
  user_id: string | null;
  task_id: string | null;
  status: DeadLetterStatus;
  replays: number;
  last_replayed_at: Date | null;
  discarded_at: Date | null;
}

const COLUMNS = `id, dlt_topic, source_topic, source_partition, source_offset::text AS source_offset, consumer_group, reason, attempts, dead_lettered_at,
  message_key, message_value, event_id, event_type, user_id, task_id, status, replays, last_replayed_at, discarded_at`;

const MAX_VALUE_CHARS = 64 * 1024;

function view(r: Row): DeadLetterView {
  return {
    id: r.id, topic: r.source_topic, partition: r.source_partition, offset: r.source_offset, key: r.message_key?.toString('utf8') ?? null,
    group: r.consumer_group, reason: r.reason, attempts: r.attempts, deadLetteredAt: r.dead_lettered_at.toISOString(), deadLetterTopic: r.dlt_topic,
    eventId: r.event_id, eventType: r.event_type, userId: r.user_id, taskId: r.task_id, status: r.status, replays: r.replays,
    lastReplayedAt: r.last_replayed_at?.toISOString() ?? null, discardedAt: r.discarded_at?.toISOString() ?? null,
    value: r.message_value === null ? null : r.message_value.toString('utf8').slice(0, MAX_VALUE_CHARS),
  };
}

export interface Filter {
  /** The source topic (task-events) or its dead-letter topic (task-events.dlt). */
  topic?: string;
  group?: string;
  status?: DeadLetterStatus;
  eventId?: string;
}

export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeCursor(s: string): Cursor | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0])) && DEAD_LETTER_ID.test(v[1])) {
      return { at: v[0], id: v[1] };
    }
  } catch {
    /* not a cursor */
  }
  return undefined;
}

function where(f: Filter, params: unknown[]): string[] {
  const w: string[] = [];
  if (f.topic) {
    params.push(f.topic);
    w.push(`(source_topic = $${params.length} OR dlt_topic = $${params.length})`);
  }
  if (f.group) {
    params.push(f.group);
    w.push(`consumer_group = $${params.length}`);
  }
  if (f.status) {
    params.push(f.status);
    w.push(`status = $${params.length}`);
  }
  if (f.eventId) {
    params.push(f.eventId);
    w.push(`event_id = $${params.length}`);
  }
  return w;
}

/** Newest first, by keyset cursor. */
export async function listDeadLetters(db: Pool | PoolClient, f: Filter, limit: number, cursor?: Cursor): Promise<{ items: DeadLetterView[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const w = where(f, params);
  if (cursor) {
    params.push(cursor.at, cursor.id);
    w.push(`(dead_lettered_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(limit + 1);
  const rows = (await db.query<Row>(
    `SELECT ${COLUMNS} FROM dead_letters ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY dead_lettered_at DESC, id DESC LIMIT $${params.length}`,
    params,
  )).rows;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.dead_lettered_at.toISOString(), id: last.id }) : null };
}

/** The dead letters to act on, locked for this transaction (FOR UPDATE): one by id, or every match of a filter. */
export async function lockDeadLetters(tx: PoolClient, sel: { id: string } | { filter: Filter; limit: number }): Promise<Array<DeadLetterView & { rawKey: Buffer | null; rawValue: Buffer | null }>> {
  const params: unknown[] = [];
  let sql: string;
  if ('id' in sel) {
    params.push(sel.id);
    sql = `SELECT ${COLUMNS} FROM dead_letters WHERE id = $1 FOR UPDATE`;
  } else {
    const w = where(sel.filter, params);
    params.push(sel.limit);
    sql = `SELECT ${COLUMNS} FROM dead_letters ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY dead_lettered_at, id LIMIT $${params.length} FOR UPDATE`;
  }
  return (await tx.query<Row>(sql, params)).rows.map((r) => ({ ...view(r), rawKey: r.message_key, rawValue: r.message_value }));
}

export async function markReplayed(tx: PoolClient, ids: string[]): Promise<void> {
  if (ids.length) await tx.query(`UPDATE dead_letters SET status = 'replayed', replays = replays + 1, last_replayed_at = now() WHERE id = ANY($1::text[])`, [ids]);
}

export async function markDiscarded(tx: PoolClient, id: string): Promise<void> {
  await tx.query(`UPDATE dead_letters SET status = 'discarded', discarded_at = now() WHERE id = $1`, [id]);
}

export interface AdminAction {
  operator: string;
  action: 'dead-letters.list' | 'dead-letters.replay' | 'dead-letters.bulk-replay' | 'dead-letters.discard';
  target: string | null;
  params: Record<string, unknown>;
  result: Record<string, unknown>;
}

/** Who did what, when: in the transaction of the action itself. */
export async function recordAdminAction(db: Pool | PoolClient, a: AdminAction): Promise<{ id: string; at: string }> {
  const res = await db.query<{ id: string; at: Date }>(
    'INSERT INTO admin_actions (operator, action, target, params, result) VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id, at',
    [a.operator, a.action, a.target, JSON.stringify(a.params), JSON.stringify(a.result)],
  );
  return { id: res.rows[0].id, at: res.rows[0].at.toISOString() };
}
