/**
 * What UserActor does with tasks, apart from Dapr: each command validates its request, decides
 * with the task rules (taskRules.ts), and writes the task and its events in one transaction
 * (commit.ts). Called inside the actor's turn, so one user's commands never run at the same time
 * on one host; the version column still guards every write against a second host during a
 * placement rebalance.
 */
import { keyReusedError, requestHash, reusedWithAnotherRequest } from './idempotency';
import type {
  CompleteTaskResult, CreateTaskRequest, CreateTaskResult, DeleteTaskResult, GetTaskRequest, GetTaskResult,
  ListTasksRequest, ListTasksResult, ReopenTaskResult, TaskRefRequest, UpdateTaskRequest, UpdateTaskResult,
} from '../common/actorApi';
import { buildEvent, type EventEnvelope, type EventType } from '../common/events/envelope';
import { encodeCursor, parseListQuery } from '../common/tasks/listQuery';
import type { Task } from '../common/tasks/task';
import { validateTaskCreate, validateTaskPatch } from '../common/validation';
import type { ActorDeps } from './actorDeps';
import { badTaskId, badVersion, conflict, invalid, isFail, notFound, stale, validTaskId, type Fail } from './commandErrors';
import { commit, scheduleOf } from './commit';
import { applyPatch, changesReminderTimes, completedTask, crossFieldErrors, newTask, nextOccurrence, pastReminderErrors, reopenedTask } from './taskRules';
import * as store from './taskStore';
import { recurrenceOccurrencesCreated, timedRecurrence } from '../common/metrics';
import { withLastDelivery } from './reminderDelivery';
import { checkQuotas } from './quotas';
import { desiredReminders } from './reminderSchedule';

function event(deps: ActorDeps, type: EventType, userId: string, taskId: string, data: unknown, traceId?: string): EventEnvelope<unknown> {
  return buildEvent(type, userId, taskId, data, deps.now(), traceId);
}

/** `hash` is the fingerprint the Idempotency-Key is bound to: the input's, unless the caller (chat) binds it to its own request. */
export async function createTask(deps: ActorDeps, userId: string, req: CreateTaskRequest, hash?: string): Promise<CreateTaskResult> {
  if (!req || typeof req !== 'object') return invalid('the request must be a JSON object', [{ field: '(body)', message: 'must be an object' }]);
  const v = validateTaskCreate(req.input);
  if (!v.ok) return invalid('the task is invalid', v.details);
  const key = req.idempotencyKey;
  if (key !== undefined && key !== null && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
    return invalid('the idempotency key is invalid', [{ field: 'Idempotency-Key', message: 'must be 1..200 characters' }]);
  }
  const fingerprint = hash ?? requestHash('createTask', req.input);
  if (key) {
    const existing = await store.idempotencyRecord(deps.pool, userId, key);
    if (existing) {
      if (reusedWithAnotherRequest(existing.requestHash, fingerprint)) return keyReusedError();
      const task = await store.getTask(deps.pool, userId, existing.taskId);
      if (task) return { ok: true, task, created: false };
    }
  }
  const task = newTask(req.input, req.caller?.timezone ?? 'UTC', deps.now());
  const errors = [...timedRecurrence(task.recurrence ? 'check' : undefined, () => crossFieldErrors(task)), ...pastReminderErrors(task, undefined, deps.now())];
  if (errors.length) return invalid('the task is invalid', errors);
  const schedule = scheduleOf(task, deps.now());
  const over = await checkQuotas(deps, userId, { openTasks: 1, pendingReminders: schedule.desired.length });
  if (over) return over;
  await commit(deps, {
    command: 'createTask',
    userId,
    events: [event(deps, 'task.created', userId, task.id, { task }, req.caller?.traceId)],
    write: async (tx) => {
      await store.insertNewTask(tx, userId, task, {
        email: req.caller?.email,
        timezone: req.caller?.zoneGiven ? req.caller.timezone : undefined,
        idempotency: key ? { key, requestHash: fingerprint } : undefined,
      });
      return true;
    },
    schedules: task.reminders.length ? [{ ...schedule, newTask: true }] : [],
  });
  return { ok: true, task, created: true };
}

export async function getTask(deps: ActorDeps, userId: string, req: GetTaskRequest): Promise<GetTaskResult> {
  if (!req || !validTaskId(req.taskId)) return badTaskId();
  const task = await store.getTask(deps.pool, userId, req.taskId);
  return task ? { ok: true, task: (await withLastDelivery(deps.pool, userId, [task]))[0] } : notFound(req.taskId);
}

export async function listTasks(deps: ActorDeps, userId: string, req: ListTasksRequest): Promise<ListTasksResult> {
  const raw = req && typeof req.query === 'object' && req.query !== null ? req.query : {};
  const parsed = parseListQuery(raw);
  if (!parsed.ok) return invalid('the list query is invalid', parsed.details);
  const page = await store.listTasks(deps.pool, userId, parsed.query, deps.now());
  return { ok: true, items: await withLastDelivery(deps.pool, userId, page.items), nextCursor: page.last ? encodeCursor(parsed.query, page.last) : null };
}

/** Loads the task for a write, answering 404 or 412 (stale If-Match) when it cannot go ahead. */
async function loadForWrite(deps: ActorDeps, userId: string, req: TaskRefRequest): Promise<Task | Fail> {
  if (!req || !validTaskId(req.taskId)) return badTaskId();
  const bad = badVersion(req.expectedVersion);
  if (bad) return bad;
  const task = await store.getTask(deps.pool, userId, req.taskId);
  if (!task) return notFound(req.taskId);
  if (req.expectedVersion !== undefined && req.expectedVersion !== task.version) return stale(req.expectedVersion, task.version);
  return task;
}

export async function updateTask(deps: ActorDeps, userId: string, req: UpdateTaskRequest): Promise<UpdateTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  if (req.changes && typeof req.changes === 'object' && 'status' in req.changes) {
    return invalid('status cannot be patched', [{ field: 'status', message: 'use POST /v1/tasks/{id}/complete or /reopen' }]);
  }
  const v = validateTaskPatch(req.changes);
  if (!v.ok) return invalid('the changes are invalid', v.details);
  const { task, changed } = applyPatch(current, req.changes, deps.now());
  if (changed.length === 0) return { ok: true, task };
  const errors = [...timedRecurrence(task.recurrence ? 'check' : undefined, () => crossFieldErrors(task)), ...pastReminderErrors(task, current, deps.now())];
  if (errors.length) return invalid('the changes are invalid', errors);
  const schedule = changesReminderTimes(changed) ? scheduleOf(task, deps.now()) : undefined;
  if (schedule) {
    const over = await checkQuotas(deps, userId, { openTasks: 0, pendingReminders: schedule.desired.length - desiredReminders(current, deps.now()).length });
    if (over) return over;
  }
  const ok = await commit(deps, {
    command: 'updateTask',
    userId,
    events: [event(deps, 'task.updated', userId, task.id, { task, changed }, req.caller?.traceId)],
    write: (tx) => store.updateTask(tx, userId, task, current.version),
    schedules: schedule ? [schedule] : [],
  });
  return ok ? { ok: true, task } : conflict();
}

export async function deleteTask(deps: ActorDeps, userId: string, req: TaskRefRequest): Promise<DeleteTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  const ok = await commit(deps, {
    command: 'deleteTask',
    userId,
    events: [event(deps, 'task.deleted', userId, current.id, { taskVersion: current.version }, req.caller?.traceId)],
    write: (tx) => store.deleteTask(tx, userId, current.id, current.version),
    schedules: [{ taskId: current.id, version: current.version, desired: [] }],
  });
  return ok ? { ok: true, deleted: true } : conflict();
}

/**
 * Completes the task. For a recurring task the next occurrence is created in the same
 * transaction, guarded by the unique (series, occurrence) key: repeating or racing the call can
 * never create a second one. Completing a completed task changes nothing and answers the same.
 */
export async function completeTask(deps: ActorDeps, userId: string, req: TaskRefRequest): Promise<CompleteTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  const nextOf = async (t: Task) => (t.seriesId ? store.getOccurrence(deps.pool, userId, t.seriesId, t.occurrence + 1) : null);
  if (current.status === 'completed') return { ok: true, task: current, next: await nextOf(current) };

  const now = deps.now();
  const task = completedTask(current, now);
  const planned = timedRecurrence(task.recurrence ? 'plan_next' : undefined, () => nextOccurrence(task, now));
  const existingNext = planned ? await store.getOccurrence(deps.pool, userId, task.seriesId as string, planned.occurrence) : null;
  const next = existingNext ? null : planned;
  const events = [event(deps, 'task.completed', userId, task.id, { task }, req.caller?.traceId)];
  if (next) events.push(event(deps, 'task.created', userId, next.id, { task: next }, req.caller?.traceId));
  const ok = await commit(deps, {
    command: 'completeTask',
    userId,
    events,
    // The unique (series, occurrence) key refuses a second next occurrence: then nothing is written.
    write: async (tx) => (await store.updateTask(tx, userId, task, current.version)) && (!next || (await store.insertOccurrence(tx, userId, next))),
    schedules: [scheduleOf(task, now), ...(next ? [{ ...scheduleOf(next, now), newTask: true }] : [])],
  });
  if (!ok) {
    // Another writer completed it (or created the next occurrence) first: answer with what is stored.
    const stored = await store.getTask(deps.pool, userId, current.id);
    if (stored?.status === 'completed') return { ok: true, task: stored, next: await nextOf(stored) };
    return conflict();
  }
  if (next) recurrenceOccurrencesCreated.inc();
  return { ok: true, task, next: next ?? existingNext };
}

export async function reopenTask(deps: ActorDeps, userId: string, req: TaskRefRequest): Promise<ReopenTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  if (current.status === 'open') return { ok: true, task: current };
  const task = reopenedTask(current, deps.now());
  const schedule = scheduleOf(task, deps.now());
  const over = await checkQuotas(deps, userId, { openTasks: 1, pendingReminders: schedule.desired.length });
  if (over) return over;
  const ok = await commit(deps, {
    command: 'reopenTask',
    userId,
    events: [event(deps, 'task.reopened', userId, task.id, { task }, req.caller?.traceId)],
    write: (tx) => store.updateTask(tx, userId, task, current.version),
    schedules: [schedule],
  });
  return ok ? { ok: true, task } : conflict();
}
