/**
 * The audit store's internal query endpoints, reached only through Dapr service invocation from the
 * gateway (which passes the authenticated user id):
 * - GET /audit?userId=&taskId=&limit=&cursor=  the trail, newest first (GET /v1/audit);
 * - GET /audit/replay?userId=&after=|since=&limit=&upToSeq=  what a reconnecting device missed,
 *   oldest first (GET /v1/stream?after=…, gateway/stream/README.md);
 * - GET /audit/erasures?userId=&eventId=  what the subscribers erased for a user.erased event, or
 *   `{ "status": "pending" }` until the audit consumer has recorded it (DELETE /v1/me).
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import { isInstant, isUuid, type FieldError } from '../../common/validation';
import { decodeCursor, queryAudit, replayAudit } from './auditStore';
import type { AuditProgress } from './auditProgress';
import { erasureRecord } from '../erasure/userErasure';

/** The most events one replay may ask for. */
export const MAX_REPLAY_LIMIT = 10_000;

const invalid = (details: FieldError[]) => ({ error: { code: 'invalid_input', message: 'the audit query is invalid', details } });

export function auditApi(pool: Pool, progress: AuditProgress, replayWaitMs: number): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const errors: FieldError[] = [];
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    if (!userId) errors.push({ field: 'userId', message: 'is required' });
    const taskId = typeof req.query.taskId === 'string' ? req.query.taskId : undefined;
    if (req.query.taskId !== undefined && (!taskId || taskId.length > 100)) errors.push({ field: 'taskId', message: 'must be a task id' });
    const limitRaw = req.query.limit ?? '50';
    const limit = typeof limitRaw === 'string' && /^\d{1,3}$/.test(limitRaw) ? Number(limitRaw) : NaN;
    if (!(limit >= 1 && limit <= 500)) errors.push({ field: 'limit', message: 'must be an integer from 1 to 500' });
    let cursor;
    if (req.query.cursor !== undefined) {
      cursor = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
      if (!cursor) errors.push({ field: 'cursor', message: 'is not a cursor this API returned' });
    }
    if (errors.length) {
      res.status(400).json(invalid(errors));
      return;
    }
    res.json(await queryAudit(pool, { userId, taskId, limit, cursor }));
  });

  r.get('/audit/replay', async (req, res) => {
    const errors: FieldError[] = [];
    const str = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const userId = str('userId') ?? '';
    if (!userId) errors.push({ field: 'userId', message: 'is required' });
    const after = str('after');
    const since = str('since');
    if ((after === undefined) === (since === undefined)) errors.push({ field: 'after', message: 'give exactly one of after and since' });
    if (after !== undefined && !isUuid(after)) errors.push({ field: 'after', message: 'must be an eventId (a UUID)' });
    if (since !== undefined && !isInstant(since)) errors.push({ field: 'since', message: 'must be an RFC 3339 instant' });
    const limitRaw = str('limit') ?? '';
    const limit = /^\d{1,5}$/.test(limitRaw) ? Number(limitRaw) : NaN;
    if (!(limit >= 1 && limit <= MAX_REPLAY_LIMIT)) errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_REPLAY_LIMIT}` });
    const upToSeq = str('upToSeq');
    if (upToSeq !== undefined && !/^\d{1,19}$/.test(upToSeq)) errors.push({ field: 'upToSeq', message: 'must be a position' });
    if (errors.length) {
      res.status(400).json(invalid(errors));
      return;
    }
    // Everything published before this point must be in audit_log, or the replay could leave a gap.
    const { caughtUp, cut } = await progress.waitForUser(userId, replayWaitMs);
    if (!caughtUp) {
      res.json({ status: 'audit_behind' });
      return;
    }
    res.json(await replayAudit(pool, { userId, afterEventId: after?.toLowerCase(), since: since === undefined ? undefined : new Date(since).toISOString(), limit, upToSeq, cut }));
  });
  r.get('/audit/erasures', async (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    const eventId = typeof req.query.eventId === 'string' ? req.query.eventId : '';
    const errors: FieldError[] = [];
    if (!userId) errors.push({ field: 'userId', message: 'is required' });
    if (!isUuid(eventId)) errors.push({ field: 'eventId', message: 'must be the eventId of a user.erased event (a UUID)' });
    if (errors.length) {
      res.status(400).json(invalid(errors));
      return;
    }
    const record = await erasureRecord(pool, userId, eventId.toLowerCase());
    res.json(record ? { status: 'done', ...record } : { status: 'pending' });
  });
  return r;
}
