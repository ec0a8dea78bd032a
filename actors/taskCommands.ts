/**
 * What UserActor does, apart from Dapr: each command validates, writes the task and its event in
 * one transaction, then asks the outbox publisher to send the event. Called inside the actor's
 * turn, so one user's commands never run at the same time on one host.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { CreateTaskRequest, CreateTaskResult, GetTaskRequest, GetTaskResult, ActorError } from '../common/actorApi';
import { inTransaction } from '../common/db/pool';
import { buildEvent } from '../common/events/envelope';
import type { Reminder, Task } from '../common/tasks/task';
import { validateEvent, validateTaskCreate } from '../common/validation';
import type { Logger } from '../common/logger';
import * as store from './taskStore';

export interface TaskCommandDeps {
  pool: Pool;
  kickOutbox: (userId: string) => void;
  now: () => Date;
  log: Logger;
}

function invalid(message: string, details: ActorError['details']): { ok: false; error: ActorError } {
  return { ok: false, error: { status: 400, code: 'invalid_input', message, details } };
}

export function newTask(input: CreateTaskRequest['input'], defaultZone: string, now: Date): Task {
  const at = now.toISOString();
  const reminders: Reminder[] = (input.reminders ?? []).map((r) =>
    r.before !== undefined ? { id: r.id ?? randomUUID(), before: r.before } : { id: r.id ?? randomUUID(), at: new Date(r.at as string).toISOString() },
  );
  const recurrence = input.recurrence ? { rule: input.recurrence.rule, from: input.recurrence.from ?? 'due' } : null;
  const id = randomUUID();
  return {
    id,
    title: input.title.trim(),
    description: input.description ?? '',
    status: 'open',
    priority: input.priority ?? 'none',
    tags: input.tags ?? [],
    due: input.due ? new Date(input.due).toISOString() : null,
    timezone: input.timezone ?? defaultZone,
    recurrence,
    reminders,
    seriesId: recurrence ? id : null,
    occurrence: 1,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
}

export async function createTask(deps: TaskCommandDeps, userId: string, req: CreateTaskRequest): Promise<CreateTaskResult> {
  if (!req || typeof req !== 'object') return invalid('the request must be a JSON object', [{ field: '(body)', message: 'must be an object' }]);
  const v = validateTaskCreate(req.input);
  if (!v.ok) return invalid('the task is invalid', v.details);
  const key = req.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
    return invalid('the idempotency key is invalid', [{ field: 'Idempotency-Key', message: 'must be 1..200 characters' }]);
  }
  if (key) {
    const existing = await store.taskIdForIdempotencyKey(deps.pool, userId, key);
    if (existing) {
      const task = await store.getTask(deps.pool, userId, existing);
      if (task) return { ok: true, task, created: false };
    }
  }
  const task = newTask(req.input, req.caller?.timezone ?? 'UTC', deps.now());
  const event = buildEvent('task.created', userId, task.id, { task }, deps.now(), req.caller?.traceId);
  const ev = validateEvent(event);
  if (!ev.ok) {
    deps.log.error('refusing to publish an invalid event', { userId, taskId: task.id, details: ev.details });
    return { ok: false, error: { status: 500, code: 'internal', message: 'the task could not be stored' } };
  }
  await inTransaction(deps.pool, async (tx) => {
    await store.upsertUser(tx, userId, req.caller?.email, req.caller?.timezone);
    await store.insertTask(tx, userId, task);
    await store.insertOutboxEvent(tx, event);
    if (key) await store.recordIdempotencyKey(tx, userId, key, task.id);
  });
  deps.log.info('task created', { userId, taskId: task.id, eventId: event.eventId, traceId: req.caller?.traceId });
  deps.kickOutbox(userId);
  return { ok: true, task, created: true };
}

export async function getTask(deps: TaskCommandDeps, userId: string, req: GetTaskRequest): Promise<GetTaskResult> {
  if (!req || typeof req.taskId !== 'string' || req.taskId.length === 0 || req.taskId.length > 100) {
    return invalid('taskId is required', [{ field: 'taskId', message: 'must be a non-empty string of at most 100 characters' }]);
  }
  const task = await store.getTask(deps.pool, userId, req.taskId);
  if (!task) return { ok: false, error: { status: 404, code: 'not_found', message: `no task ${req.taskId}` } };
  return { ok: true, task };
}
