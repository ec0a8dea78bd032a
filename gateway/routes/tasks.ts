/** /v1/tasks: every call is the caller's UserActor, chosen from the token's sub and nothing else. */
import { Router, type Request, type Response } from 'express';
import type { CreateTaskResult, GetTaskResult, ActorResult } from '../../common/actorApi';
import { validateTaskCreate } from '../../common/validation';
import type { Caller } from '../auth';
import { invokeActor } from '../daprClient';
import { ApiError } from '../errors';

function callerContext(res: Response, req: Request) {
  const c = res.locals.caller as Caller;
  return { userId: c.userId, caller: { email: c.email, timezone: c.timezone, traceId: res.locals.traceId as string | undefined }, traceparent: req.header('traceparent') };
}

/** Turns an actor's error value into the HTTP error, or returns the success value. */
export function unwrap<T>(result: ActorResult<T>): T {
  if (result.ok) return result;
  const e = result.error;
  throw new ApiError(e.status, e.code, e.message, e.details ?? []);
}

export function tasksRouter(): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'invalid_input', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
    }
    const v = validateTaskCreate(body);
    if (!v.ok) throw new ApiError(400, 'invalid_input', 'the task is invalid', v.details);
    const key = req.header('idempotency-key');
    const { userId, caller, traceparent } = callerContext(res, req);
    const out = unwrap(await invokeActor<CreateTaskResult extends ActorResult<infer T> ? T : never>(
      userId, 'createTask', { input: body, idempotencyKey: key, caller }, traceparent));
    res.status(out.created ? 201 : 200).location(`/v1/tasks/${encodeURIComponent(out.task.id)}`).json(out.task);
  });

  r.get('/:id', async (req, res) => {
    const { userId, caller, traceparent } = callerContext(res, req);
    const out = unwrap(await invokeActor<GetTaskResult extends ActorResult<infer T> ? T : never>(
      userId, 'getTask', { taskId: req.params.id, caller }, traceparent));
    res.json(out.task);
  });

  return r;
}
