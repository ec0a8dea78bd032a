/**
 * /v1/tasks: every call goes to the caller's UserActor, chosen from the token's sub and nothing
 * else. The actor validates the payload (once: other services call it through Dapr too) and
 * decides; the gateway checks only what is HTTP's (a JSON object body, If-Match) and maps the
 * actor's answer to HTTP.
 */
import { Router, type Request, type Response } from 'express';
import type { ActorResult, CallerContext, RequestOf, ResultMethod, SuccessOf } from '../../common/actorApi';
import type { Task, TaskCreateInput } from '../../common/tasks/task';
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

/**
 * Calls a method of the caller's UserActor (`callActor(req, res, 'createTask', { input })`: the
 * payload and the answer are typed by UserActorApi) and answers its success value, or throws its
 * error as the HTTP error. The caller context is added from the verified token.
 */
export function callActor<M extends ResultMethod>(req: Request, res: Response, method: M, payload: Omit<RequestOf<M>, 'caller'>): Promise<SuccessOf<M>> {
  const userId = (res.locals.caller as Caller).userId;
  const body = { ...payload, caller: callerContext(res) } as RequestOf<M>;
  return invokeActor(userId, method, body, req.header('traceparent')).then((r) => unwrap(r) as SuccessOf<M>);
}

function sendTask(res: Response, status: number, task: Task): void {
  res.status(status).setHeader('ETag', `"${task.version}"`);
  res.json(task);
}

export function tasksRouter(): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    // The actor checks the input against the task schema (the same 400 'the task is invalid').
    const input = jsonObjectBody(req) as unknown as TaskCreateInput;
    const out = await callActor(req, res, 'createTask', { input, idempotencyKey: req.header('idempotency-key') });
    res.location(`/v1/tasks/${encodeURIComponent(out.task.id)}`);
    sendTask(res, out.created ? 201 : 200, out.task);
  });

  r.get('/', async (req, res) => {
    const out = await callActor(req, res, 'listTasks', { query: req.query });
    res.json({ items: out.items, nextCursor: out.nextCursor });
  });

  r.get('/:id', async (req, res) => {
    const out = await callActor(req, res, 'getTask', { taskId: req.params.id });
    sendTask(res, 200, out.task);
  });

  r.patch('/:id', async (req, res) => {
    const changes = jsonObjectBody(req);
    const out = await callActor(req, res, 'updateTask', { taskId: req.params.id, changes, expectedVersion: parseIfMatch(req.header('if-match')) });
    sendTask(res, 200, out.task);
  });

  r.delete('/:id', async (req, res) => {
    await callActor(req, res, 'deleteTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    res.status(204).end();
  });

  r.post('/:id/complete', async (req, res) => {
    const out = await callActor(req, res, 'completeTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    res.json({ task: out.task, next: out.next });
  });

  r.post('/:id/reopen', async (req, res) => {
    const out = await callActor(req, res, 'reopenTask', { taskId: req.params.id, expectedVersion: parseIfMatch(req.header('if-match')) });
    sendTask(res, 200, out.task);
  });

  return r;
}
