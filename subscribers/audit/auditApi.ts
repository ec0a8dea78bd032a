/**
 * The audit store's internal query endpoint, reached only through Dapr service invocation from the
 * gateway (which passes the authenticated user id). GET /audit?userId=&taskId=&limit=&cursor=
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import type { FieldError } from '../../common/validation';
import { decodeCursor, queryAudit } from './auditStore';

export function auditApi(pool: Pool): Router {
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
      res.status(400).json({ error: { code: 'invalid_input', message: 'the audit query is invalid', details: errors } });
      return;
    }
    res.json(await queryAudit(pool, { userId, taskId, limit, cursor }));
  });
  return r;
}
