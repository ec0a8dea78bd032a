/**
 * /v1/tasks: every call goes to the caller's UserActor, chosen from the token's sub and nothing
 * else. The actor validates and decides; the gateway maps its answer to HTTP.
 */
import { Router, type Request, type Response } from 'express';
import type {
  ActorResult, CallerContext, CompleteTaskResult, CreateTaskResult, DeleteTaskResult, GetTaskResult, ListTasksResult, ReopenTaskResult,
  UpdateTaskResult, UserActorMethod,
} from '../../common/actorApi';
import type { Task } from '../../common/tasks/task';
import { validateTaskCreate } from '../../common/validation';
import type { Caller } from '../auth';
import { invokeActor } from '../daprClient';
import { ApiError } from '../errors';

/** Turns an actor's error value into the HTTP error, or returns the success value. */
export function unwrap<R extends ActorResult<unknown>>(result: R): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>;
  const e = (result as Extract<R, { ok: false }>).error;
  throw new ApiError(e.status, e.code, e.message, e.details ?? [], e.status === 503 ? { 'Retry-After': '1' } : {});
}

/**
 * The version an If-Match header names: `3`, `"3"` or `W/"3"`; undefined without the header or
 * with `*`. Anything else is a 400 naming the header.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m || Number(m[1]) < 1) {
    throw new ApiError(400, 'invalid_input', 'If-Match must name a task version', [{ field: 'If-Match', message: 'must be a version such as "3"' }]);
  }
  return Number(m[1]);
}

function jsonObjectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_input', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

/** Who is calling, as the actor is told: from the verified token (and X-Timezone), never from the body. */
export function callerContext(res: Response): CallerContext {
  const c = res.locals.caller as Caller;
  return { email: c.email, timezone: c.timezone, zoneGiven: c.zoneGiven, traceId: res.locals.traceId as string | undefined };
}

/** Calls the caller's UserActor and answers its success value, or throws its error as the HTTP error. */
export function callActor<R extends ActorResult<unknown>>(req: Request, res: Response, method: UserActorMethod, payload: Record<string, unknown>): Promise<Extract<R, { ok: true }>> {
  const userId = (res.locals.caller as Caller).userId;
  return invokeActor<R>(userId, method, { ...payload, caller: callerContext(res) }, req.header('traceparent')).then(unwrap);
}

const call = callActor;

function sendTask(res: Response, status: number, task: Task): void {
  res.status(status).setHeader('ETag', `"${task.version}"`);
  res.json(task);
}

export function tasksRouter(): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const body = jsonObjectBody(req);
    const v = validateTaskCreate(body);
    if (!v.ok) throw new ApiError(400, 'invalid_input', 'the task is invalid', v.details);
    const key = req.header('idempotency-key');
    const out = await call<CreateTaskResult>(req, res, 'createTask', { input: body, idempotencyKey: key });
    res.location(`/v1/tasks/${encodeURIComponent(out.task.id)}`);
    sendTask(res, out.created ? 201 : 200, out.task);
  });

  r.get('/', async (req, res) => {
    const out = await call<ListTasksResult>(req, res, 'listTasks', { query: req.query });
    res.json({ items: out.items, nextCursor: out.nextCursor });
  });

  r.get('/:id', async (req, res) => {
    const out = await call<GetTaskResult>(req, res, 'getTask', { taskId: req.params.id });
    sendTask(res, 200, out.task);
  });

  r.patch('/:id', async (req, res) => {
    const changes = jsonObjectBody(req);
    const out = await call<UpdateTaskResult>(req, res, 'updateTask', { taskId: req.params.id, changes, expectedVersion: parseIfMatch(req.header('if-match')) });
    sendTask(res, 200, out.task);
  });

  r.delete('/:id', async (req, res) => {
    await call<DeleteTaskResult>(req, res, 'deleteTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    res.status(204).end();
  });

  r.post('/:id/complete', async (req, res) => {
    const out = await call<CompleteTaskResult>(req, res, 'completeTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    res.json({ task: out.task, next: out.next });
  });

  r.post('/:id/reopen', async (req, res) => {
    const out = await call<ReopenTaskResult>(req, res, 'reopenTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    sendTask(res, 200, out.task);
  });

  return r;
}
