/** The audit_log table: written in batches, idempotent on eventId; read newest first by keyset cursor. */
import type { Pool } from 'pg';
import type { EventEnvelope } from '../../common/events/envelope';
import { inTransaction } from '../../common/db/pool';
import { eraseForEvents, lockUsers } from '../erasure/userErasure';

export interface AuditRecord {
  event: EventEnvelope<unknown>;
  topic: string;
  partition: number;
  offset: string;
  /** The event's outbox seq (its position in its user's order), from the message's outbox-seq header. */
  seq: string | null;
}

/**
 * Inserts the batch in one statement, one array parameter per column (unnest), so the statement's
 * text and plan are the same for every batch size; events already recorded are skipped, and so are
 * events of a user older than that user's erasure (subscribers/erasure/userErasure.ts), whose
 * user.erased events in the batch are acted on first, in the same transaction. Returns rows inserted.
 */
export async function insertAuditBatch(pool: Pool, records: AuditRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return inTransaction(pool, async (tx) => {
    const erased = records.filter((r) => r.event.type === 'user.erased').map((r) => r.event);
    await lockUsers(tx, records.map((r) => r.event.userId), new Set(erased.map((e) => e.userId)));
    await eraseForEvents(tx, erased);
    const res = await tx.query(
      `INSERT INTO audit_log (event_id, user_id, task_id, type, schema_version, event_time, event, topic, kafka_partition, kafka_offset, outbox_seq)
       SELECT v.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::text[], $9::int[], $10::bigint[], $11::bigint[])
         AS v(event_id, user_id, task_id, type, schema_version, event_time, event, topic, kafka_partition, kafka_offset, outbox_seq)
        WHERE NOT EXISTS (SELECT 1 FROM user_erasures e WHERE e.user_id = v.user_id AND v.event_time < e.erased_at)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        records.map((r) => r.event.eventId), records.map((r) => r.event.userId), records.map((r) => r.event.taskId),
        records.map((r) => r.event.type), records.map((r) => r.event.version), records.map((r) => r.event.time),
        records.map((r) => JSON.stringify(r.event)), records.map((r) => r.topic), records.map((r) => r.partition),
        records.map((r) => r.offset), records.map((r) => r.seq),
      ],
    );
    return res.rowCount ?? 0;
  });
}

export interface AuditQuery {
  userId: string;
  taskId?: string;
  limit: number;
  cursor?: { time: string; eventId: string };
}

export interface AuditPage {
  items: EventEnvelope<unknown>[];
  nextCursor: string | null;
}

export function encodeCursor(c: { time: string; eventId: string }): string {
  return Buffer.from(JSON.stringify([c.time, c.eventId])).toString('base64url');
}

/** Undefined for a cursor this code did not make. */
export function decodeCursor(s: string): { time: string; eventId: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      && !Number.isNaN(Date.parse(v[0])) && /^[0-9a-f-]{36}$/.test(v[1])) {
      return { time: v[0], eventId: v[1] };
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

export async function queryAudit(pool: Pool, q: AuditQuery): Promise<AuditPage> {
  const params: unknown[] = [q.userId];
  const where = ['user_id = $1'];
  if (q.taskId) {
    params.push(q.taskId);
    where.push(`task_id = $${params.length}`);
  }
  if (q.cursor) {
    params.push(q.cursor.time, q.cursor.eventId);
    where.push(`(event_time, event_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(q.limit + 1);
  const rows = (await pool.query<{ event: EventEnvelope<unknown>; event_time: Date; event_id: string }>(
    `SELECT event, event_time, event_id FROM audit_log WHERE ${where.join(' AND ')}
     ORDER BY event_time DESC, event_id DESC LIMIT $${params.length}`,
    params,
  )).rows;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => r.event),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ time: last.event_time.toISOString(), eventId: last.event_id }) : null,
  };
}

/** A topic partition's high watermark when a replay began: the audit has recorded everything below it. */
export interface ReplayCut {
  topic: string;
  partition: number;
  high: string;
}

export interface ReplayQuery {
  userId: string;
  /** After this event (exclusive), in the user's order; or */
  afterEventId?: string;
  /** every event whose time is at or after this instant, in the user's order. */
  since?: string;
  /** At most this many events; one more means "too many". */
  limit: number;
  /** Only events at or before this position (what the asking gateway had already delivered live). */
  upToSeq?: string;
  /** Leave out what was published after the replay began: it reaches the device live. */
  cut?: ReplayCut[];
}

export type ReplayResult =
  /** anchorSeq: the position of afterEventId; everything the device saw is at or before it. */
  | { status: 'ok'; anchorSeq?: string; items: Array<{ seq: string; event: EventEnvelope<unknown> }> }
  | { status: 'unknown_event' }
  | { status: 'too_many'; limit: number };

/**
 * A user's events after a position, oldest first, in the user's order (outbox seq: commit order,
 * common/db/outbox.ts). `afterEventId` must name an event of this user that has a position: any
 * other (unknown, another user's, audited before positions existed) answers unknown_event, the
 * same for all, so nothing about other users' events leaks.
 */
export async function replayAudit(pool: Pool, q: ReplayQuery): Promise<ReplayResult> {
  const params: unknown[] = [q.userId];
  const where = ['user_id = $1', 'outbox_seq IS NOT NULL'];
  let anchorSeq: string | undefined;
  if (q.afterEventId !== undefined) {
    const anchor = await pool.query<{ outbox_seq: string | null }>(
      'SELECT outbox_seq FROM audit_log WHERE event_id = $1 AND user_id = $2', [q.afterEventId, q.userId],
    );
    const seq = anchor.rows[0]?.outbox_seq;
    if (seq === undefined || seq === null) return { status: 'unknown_event' };
    anchorSeq = seq;
    params.push(seq);
    where.push(`outbox_seq > $${params.length}`);
  }
  if (q.since !== undefined) {
    params.push(q.since);
    where.push(`event_time >= $${params.length}::timestamptz`);
  }
  if (q.upToSeq !== undefined) {
    params.push(q.upToSeq);
    where.push(`outbox_seq <= $${params.length}`);
  }
  for (const c of q.cut ?? []) {
    params.push(c.topic, c.partition, c.high);
    where.push(`NOT (topic = $${params.length - 2} AND kafka_partition = $${params.length - 1} AND kafka_offset >= $${params.length})`);
  }
  params.push(q.limit + 1);
  const rows = (await pool.query<{ outbox_seq: string; event: EventEnvelope<unknown> }>(
    `SELECT outbox_seq, event FROM audit_log WHERE ${where.join(' AND ')} ORDER BY outbox_seq LIMIT $${params.length}`,
    params,
  )).rows;
  if (rows.length > q.limit) return { status: 'too_many', limit: q.limit };
  const items = rows.map((r) => ({ seq: r.outbox_seq, event: r.event }));
  return anchorSeq === undefined ? { status: 'ok', items } : { status: 'ok', anchorSeq, items };
}
