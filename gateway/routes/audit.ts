/** GET /v1/audit: the caller's audit trail, served by the subscribers' audit store through Dapr. */
import { Router } from 'express';
import type { Caller } from '../auth';
import { invokeSubscribers } from '../daprClient';

export function auditRouter(): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const caller = res.locals.caller as Caller;
    const q = new URLSearchParams({ userId: caller.userId });
    for (const name of ['taskId', 'limit', 'cursor']) {
      const v = req.query[name];
      if (typeof v === 'string') q.set(name, v);
    }
    res.json(await invokeSubscribers(`audit?${q.toString()}`, req.header('traceparent')));
  });
  return r;
}
