/**
 * /v1/admin: the operators' API, for tokens whose `roles` claim contains `operator` (every other
 * token gets 403, app.ts). The dead letters are served by the subscribers' dead-letter index
 * through Dapr (subscribers/deadLetters/README.md); the operator's name (`sub`) goes with every
 * call, and the subscribers record each action in admin_actions.
 */
import { Router, type Request } from 'express';
import type { Caller } from '../auth';
import { invokeSubscribers } from '../daprClient';
import { ApiError } from '../errors';

const WHAT = 'the dead-letter service';
const LIST_PARAMS = ['topic', 'group', 'status', 'eventId', 'limit', 'cursor'];

function query(req: Request, names: readonly string[]): URLSearchParams {
  const q = new URLSearchParams({ operator: (req.res?.locals.caller as Caller).userId });
  for (const name of names) {
    const v = req.query[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new ApiError(400, 'invalid_input', 'the query is invalid', [{ field: name, message: 'must be given once' }]);
    q.set(name, v);
  }
  return q;
}

export function adminRouter(): Router {
  const r = Router();
  r.get('/dead-letters', async (req, res) => {
    res.json(await invokeSubscribers(`admin/dead-letters?${query(req, LIST_PARAMS).toString()}`, req.header('traceparent'), 'GET', undefined, WHAT));
  });
  r.post('/dead-letters/replay', async (req, res) => {
    const body = req.body === undefined ? {} : req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'invalid_input', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
    res.json(await invokeSubscribers(`admin/dead-letters/replay?${query(req, []).toString()}`, req.header('traceparent'), 'POST', body, WHAT));
  });
  for (const verb of ['replay', 'discard'] as const) {
    r.post(`/dead-letters/:id/${verb}`, async (req, res) => {
      const id = String(req.params.id);
      res.json(await invokeSubscribers(`admin/dead-letters/${encodeURIComponent(id)}/${verb}?${query(req, []).toString()}`, req.header('traceparent'), 'POST', {}, WHAT));
    });
  }
  return r;
}
