/** The audit_log table: written in batches, idempotent on eventId; read newest first by keyset cursor. */
import type { Pool } from 'pg';
import type { EventEnvelope } from '../../common/events/envelope';

export interface AuditRecord {
  event: EventEnvelope<unknown>;
  topic: string;
  partition: number;
  offset: string;
}

/** Inserts the batch in one statement; events already recorded are skipped. Returns rows inserted. */
export async function insertAuditBatch(pool: Pool, records: AuditRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const cols = 9;
  const values: unknown[] = [];
  const tuples = records.map((r, i) => {
    values.push(r.event.eventId, r.event.userId, r.event.taskId, r.event.type, r.event.version, r.event.time, JSON.stringify(r.event), r.topic, r.partition);
    values.push(r.offset);
    const b = i * (cols + 1);
    return `(${Array.from({ length: cols + 1 }, (_, k) => `$${b + k + 1}`).join(',')})`;
  });
  const res = await pool.query(
    `INSERT INTO audit_log (event_id, user_id, task_id, type, schema_version, event_time, event, topic, kafka_partition, kafka_offset)
     VALUES ${tuples.join(',')} ON CONFLICT (event_id) DO NOTHING`,
    values,
  );
  return res.rowCount ?? 0;
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
