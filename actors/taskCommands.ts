/**
 * What UserActor does, apart from Dapr: each command validates, writes the task and its events in
 * one transaction, then asks the outbox publisher to send the events. Called inside the actor's
 * turn, so one user's commands never run at the same time on one host; the version column still
 * guards every write against a second host during a placement rebalance.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type {
  ActorError, CompleteTaskResult, CreateTaskRequest, CreateTaskResult, DeleteTaskResult, GetTaskRequest, GetTaskResult,
  ListTasksRequest, ListTasksResult, ReopenTaskResult, TaskRefRequest, UpdateTaskRequest, UpdateTaskResult,
} from '../common/actorApi';
import { commitIf } from '../common/db/pool';
import { insertOutboxEvent, insertOutboxEvents } from '../common/db/outbox';
import { buildEvent, type EventEnvelope, type EventType } from '../common/events/envelope';
import { encodeCursor, parseListQuery } from '../common/tasks/listQuery';
import type { Reminder, Task, TaskCreateInput } from '../common/tasks/task';
import { validateEvent, validateTaskCreate, validateTaskPatch, type FieldError } from '../common/validation';
import type { Logger } from '../common/logger';
import * as store from './taskStore';
import { withLastDelivery } from './reminderDelivery';
import { desiredReminders, lockOtherDueRows, lockRow, markFired, peekRow, replaceSchedule, type DesiredReminder, type ScheduleRow } from './reminderSchedule';
import type { ReminderData } from './reminderSync';
import { reminderTimes } from '../common/recurrence';
import { reminderFireLateness } from '../common/metrics';
import type { FaultPoint, TestFault } from './testFaults';

/** The next occurrence of a recurring task completed at `completedAt`, or null when the series has ended. */
export type PlanNextOccurrence = (task: Task, completedAt: Date) => { due: Date; occurrence: number } | null;
/** Extra checks of a recurrence (RRULE) against its first due time and zone; field errors or none. */
export type CheckRecurrence = (rule: string, due: string, zone: string) => FieldError[];

export interface TaskCommandDeps {
  pool: Pool;
  kickOutbox: (userId: string) => void;
  /** Asks for this user's reminder_schedule rows to be mirrored in Dapr soon. */
  syncReminders: (userId: string) => void;
  now: () => Date;
  log: Logger;
  planNext: PlanNextOccurrence;
  checkRecurrence: CheckRecurrence;
  /** TEST ONLY (actors/testFaults.ts): where an armed fault crashes the host; absent, or a no-op, otherwise. */
  faultPoint?: FaultPoint;
}

type Fail = { ok: false; error: ActorError };

function invalid(message: string, details: FieldError[]): Fail {
  return { ok: false, error: { status: 400, code: 'invalid_input', message, details } };
}
const notFound = (taskId: string): Fail => ({ ok: false, error: { status: 404, code: 'not_found', message: `no task ${taskId}` } });
const stale = (expected: number, actual: number): Fail => ({
  ok: false, error: { status: 412, code: 'precondition_failed', message: `the task is at version ${actual}, not ${expected}; read it again`, details: [{ field: 'If-Match', message: `must be ${actual}` }] },
});
const conflict = (): Fail => ({ ok: false, error: { status: 409, code: 'version_conflict', message: 'the task was changed at the same time; read it again and retry' } });

function normalizeReminders(input: TaskCreateInput['reminders']): Reminder[] {
  return (input ?? []).map((r) => (r.before !== undefined
    ? { id: r.id ?? randomUUID(), before: r.before }
    : { id: r.id ?? randomUUID(), at: new Date(r.at as string).toISOString() }));
}

/** Reminder ids must be unique within a task: they name the Dapr reminders. */
function duplicateReminderIds(reminders: Reminder[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  reminders.forEach((r, i) => {
    if (seen.has(r.id)) out.push({ field: `reminders.${i}.id`, message: 'is used twice' });
    seen.add(r.id);
  });
  return out;
}

export function newTask(input: TaskCreateInput, defaultZone: string, now: Date): Task {
  const at = now.toISOString();
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
    reminders: normalizeReminders(input.reminders),
    seriesId: recurrence ? id : null,
    occurrence: 1,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
}

const EDITABLE = ['title', 'description', 'priority', 'tags', 'due', 'timezone', 'recurrence', 'reminders'] as const;

/** The task after a validated patch, and the fields whose value really changed (none: no write). */
export function applyPatch(task: Task, changes: Record<string, unknown>, now: Date): { task: Task; changed: string[] } {
  const next: Task = { ...task };
  const c = changes as Partial<TaskCreateInput>;
  if (c.title !== undefined) next.title = c.title.trim();
  if (c.description !== undefined) next.description = c.description;
  if (c.priority !== undefined) next.priority = c.priority;
  if (c.tags !== undefined) next.tags = c.tags;
  if (c.due !== undefined) next.due = c.due === null ? null : new Date(c.due).toISOString();
  if (c.timezone !== undefined) next.timezone = c.timezone;
  if (c.recurrence !== undefined) {
    next.recurrence = c.recurrence === null ? null : { rule: c.recurrence.rule, from: c.recurrence.from ?? 'due' };
    if (next.recurrence && !next.seriesId) next.seriesId = task.id;
  }
  if (c.reminders !== undefined) next.reminders = normalizeReminders(c.reminders);
  const changed = EDITABLE.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(task[k]));
  if (changed.length === 0) return { task, changed: [] };
  return { task: { ...next, version: task.version + 1, updatedAt: now.toISOString() }, changed };
}

/** Rules that span fields: a recurring task needs a due time, and its rule must make sense there. */
function crossFieldErrors(deps: TaskCommandDeps, t: Task): FieldError[] {
  const errors = duplicateReminderIds(t.reminders);
  if (t.recurrence) {
    if (!t.due) errors.push({ field: 'due', message: 'is required for a recurring task: its first due time starts the series' });
    else errors.push(...deps.checkRecurrence(t.recurrence.rule, t.due, t.timezone));
  }
  return errors;
}

function event(deps: TaskCommandDeps, type: EventType, userId: string, taskId: string, data: unknown, traceId?: string): EventEnvelope<unknown> {
  const e = buildEvent(type, userId, taskId, data, deps.now(), traceId);
  const v = validateEvent(e);
  if (!v.ok) throw new Error(`refusing to publish an invalid ${type} event: ${JSON.stringify(v.details)}`);
  return e;
}

/** The reminders each of these tasks should have after the change (an empty list cancels them all). */
type Schedules = Array<{ taskId: string; version: number; desired: DesiredReminder[] }>;

/**
 * Writes the change, its events' outbox rows and its reminder schedule in one transaction; false
 * (nothing written) when write says so. After commit, the events and reminders go out.
 * `faultAfterCommit` names the test-only fault point right after the commit (actors/testFaults.ts).
 */
async function commit(deps: TaskCommandDeps, userId: string, events: EventEnvelope<unknown>[], write: (tx: PoolClient) => Promise<boolean>, schedules: Schedules = [], faultAfterCommit?: TestFault): Promise<boolean> {
  const ok = await commitIf(deps.pool, async (tx) => {
    if (!(await write(tx))) return false;
    for (const e of events) await insertOutboxEvent(tx, e);
    for (const sch of schedules) await replaceSchedule(tx, userId, sch.taskId, sch.desired, sch.version);
    return true;
  });
  if (ok && faultAfterCommit) deps.faultPoint?.(faultAfterCommit);
  if (ok && events.length) {
    for (const e of events) deps.log.info(e.type, { userId, taskId: e.taskId, eventId: e.eventId, traceId: e.traceId });
    deps.kickOutbox(userId);
  }
  if (ok && schedules.length) deps.syncReminders(userId);
  return ok;
}

const scheduleOf = (t: Task, now: Date) => ({ taskId: t.id, version: t.version, desired: desiredReminders(t, now) });

function validTaskId(taskId: unknown): taskId is string {
  return typeof taskId === 'string' && taskId.length > 0 && taskId.length <= 100;
}

const badTaskId = () => invalid('taskId is required', [{ field: 'taskId', message: 'must be a non-empty string of at most 100 characters' }]);

function badVersion(v: unknown): Fail | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) < 1) return invalid('the expected version is invalid', [{ field: 'If-Match', message: 'must be a task version, a positive integer' }]);
  return undefined;
}

export async function createTask(deps: TaskCommandDeps, userId: string, req: CreateTaskRequest): Promise<CreateTaskResult> {
  if (!req || typeof req !== 'object') return invalid('the request must be a JSON object', [{ field: '(body)', message: 'must be an object' }]);
  const v = validateTaskCreate(req.input);
  if (!v.ok) return invalid('the task is invalid', v.details);
  const key = req.idempotencyKey;
  if (key !== undefined && key !== null && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
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
  const errors = crossFieldErrors(deps, task);
  if (errors.length) return invalid('the task is invalid', errors);
  const e = event(deps, 'task.created', userId, task.id, { task }, req.caller?.traceId);
  await commit(deps, userId, [e], async (tx) => {
    await store.upsertUser(tx, userId, req.caller?.email, req.caller?.zoneGiven ? req.caller.timezone : undefined);
    await store.insertTask(tx, userId, task);
    if (key) await store.recordIdempotencyKey(tx, userId, key, task.id);
    return true;
  }, task.reminders.length ? [scheduleOf(task, deps.now())] : []);
  return { ok: true, task, created: true };
}

export async function getTask(deps: TaskCommandDeps, userId: string, req: GetTaskRequest): Promise<GetTaskResult> {
  if (!req || !validTaskId(req.taskId)) return badTaskId();
  const task = await store.getTask(deps.pool, userId, req.taskId);
  return task ? { ok: true, task: (await withLastDelivery(deps.pool, userId, [task]))[0] } : notFound(req.taskId);
}

export async function listTasks(deps: TaskCommandDeps, userId: string, req: ListTasksRequest): Promise<ListTasksResult> {
  const raw = req && typeof req.query === 'object' && req.query !== null ? req.query : {};
  const parsed = parseListQuery(raw);
  if (!parsed.ok) return invalid('the list query is invalid', parsed.details);
  const page = await store.listTasks(deps.pool, userId, parsed.query, deps.now());
  return { ok: true, items: await withLastDelivery(deps.pool, userId, page.items), nextCursor: page.last ? encodeCursor(parsed.query, page.last) : null };
}

/** Loads the task for a write, answering 404 or 412 (stale If-Match) when it cannot go ahead. */
async function loadForWrite(deps: TaskCommandDeps, userId: string, req: TaskRefRequest): Promise<Task | Fail> {
  if (!req || !validTaskId(req.taskId)) return badTaskId();
  const bad = badVersion(req.expectedVersion);
  if (bad) return bad;
  const task = await store.getTask(deps.pool, userId, req.taskId);
  if (!task) return notFound(req.taskId);
  if (req.expectedVersion !== undefined && req.expectedVersion !== task.version) return stale(req.expectedVersion, task.version);
  return task;
}

const isFail = (x: Task | Fail): x is Fail => (x as Fail).ok === false;

export async function updateTask(deps: TaskCommandDeps, userId: string, req: UpdateTaskRequest): Promise<UpdateTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  if (req.changes && typeof req.changes === 'object' && 'status' in req.changes) {
    return invalid('status cannot be patched', [{ field: 'status', message: 'use POST /v1/tasks/{id}/complete or /reopen' }]);
  }
  const v = validateTaskPatch(req.changes);
  if (!v.ok) return invalid('the changes are invalid', v.details);
  const { task, changed } = applyPatch(current, req.changes, deps.now());
  if (changed.length === 0) return { ok: true, task };
  const errors = crossFieldErrors(deps, task);
  if (errors.length) return invalid('the changes are invalid', errors);
  const e = event(deps, 'task.updated', userId, task.id, { task, changed }, req.caller?.traceId);
  const reschedule = changed.some((f) => f === 'due' || f === 'timezone' || f === 'reminders');
  const ok = await commit(deps, userId, [e], (tx) => store.updateTask(tx, userId, task, current.version), reschedule ? [scheduleOf(task, deps.now())] : []);
  return ok ? { ok: true, task } : conflict();
}

export async function deleteTask(deps: TaskCommandDeps, userId: string, req: TaskRefRequest): Promise<DeleteTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  const e = event(deps, 'task.deleted', userId, current.id, { taskVersion: current.version }, req.caller?.traceId);
  const ok = await commit(deps, userId, [e], (tx) => store.deleteTask(tx, userId, current.id, current.version),
    [{ taskId: current.id, version: current.version, desired: [] }]);
  return ok ? { ok: true, deleted: true } : conflict();
}

/** The next occurrence of a series: same series, title, tags, priority and reminder offsets. */
function nextOccurrenceTask(done: Task, due: Date, occurrence: number, now: Date): Task {
  const at = now.toISOString();
  return {
    ...done,
    id: randomUUID(),
    status: 'open',
    due: due.toISOString(),
    // Offsets ("before") carry over; absolute reminders ("at") belonged to the finished occurrence.
    reminders: done.reminders.filter((r) => 'before' in r).map((r) => ({ ...r })),
    occurrence,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
}

/**
 * Completes the task. For a recurring task the next occurrence is created in the same
 * transaction, guarded by the unique (series, occurrence) key: repeating or racing the call can
 * never create a second one. Completing a completed task changes nothing and answers the same.
 */
export async function completeTask(deps: TaskCommandDeps, userId: string, req: TaskRefRequest): Promise<CompleteTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  const nextOf = async (t: Task) => (t.seriesId ? store.getOccurrence(deps.pool, userId, t.seriesId, t.occurrence + 1) : null);
  if (current.status === 'completed') return { ok: true, task: current, next: await nextOf(current) };

  const now = deps.now();
  const task: Task = { ...current, status: 'completed', completedAt: now.toISOString(), updatedAt: now.toISOString(), version: current.version + 1 };
  const plan = task.recurrence && task.seriesId ? deps.planNext(current, now) : null;
  const existingNext = plan ? await store.getOccurrence(deps.pool, userId, task.seriesId as string, plan.occurrence) : null;
  const next = plan && !existingNext ? nextOccurrenceTask(task, plan.due, plan.occurrence, now) : null;
  const events = [event(deps, 'task.completed', userId, task.id, { task }, req.caller?.traceId)];
  if (next) events.push(event(deps, 'task.created', userId, next.id, { task: next }, req.caller?.traceId));
  // The unique (series, occurrence) key refuses a second next occurrence: then nothing is written.
  const ok = await commit(deps, userId, events, async (tx) =>
    (await store.updateTask(tx, userId, task, current.version)) && (!next || (await store.insertOccurrence(tx, userId, next))),
  [scheduleOf(task, now), ...(next ? [scheduleOf(next, now)] : [])], 'crash-after-complete-commit');
  if (!ok) {
    // Another writer completed it (or created the next occurrence) first: answer with what is stored.
    const stored = await store.getTask(deps.pool, userId, current.id);
    if (stored?.status === 'completed') return { ok: true, task: stored, next: await nextOf(stored) };
    return conflict();
  }
  return { ok: true, task, next: next ?? existingNext };
}

export async function reopenTask(deps: TaskCommandDeps, userId: string, req: TaskRefRequest): Promise<ReopenTaskResult> {
  const current = await loadForWrite(deps, userId, req);
  if (isFail(current)) return current;
  if (current.status === 'open') return { ok: true, task: current };
  const now = deps.now().toISOString();
  const task: Task = { ...current, status: 'open', completedAt: null, updatedAt: now, version: current.version + 1 };
  const e = event(deps, 'task.reopened', userId, task.id, { task }, req.caller?.traceId);
  const ok = await commit(deps, userId, [e], (tx) => store.updateTask(tx, userId, task, current.version), [scheduleOf(task, deps.now())]);
  return ok ? { ok: true, task } : conflict();
}

/** At most this many reminders of one user fire in one turn (one transaction). */
export const FIRE_BATCH = 200;

/** reminder.due for a schedule row, if the task as it is now still wants that reminder at that time. */
function dueEventFor(userId: string, row: ScheduleRow, task: Task | undefined, user: { email: string | null; timezone: string | null } | undefined, now: Date): EventEnvelope<unknown> | undefined {
  if (!task || task.status !== 'open' || task.occurrence !== row.occurrence) return undefined;
  const current = reminderTimes({ due: task.due ? new Date(task.due) : null, zone: task.timezone, reminders: task.reminders }).find((f) => f.id === row.reminder_id);
  if (!current || current.fireAt.getTime() !== row.fire_at.getTime()) return undefined;
  const e = buildEvent('reminder.due', userId, task.id, {
    reminderId: row.reminder_id, occurrence: row.occurrence, fireAt: row.fire_at.toISOString(), firedAt: now.toISOString(),
    task, email: user?.email ?? null, timezone: user?.timezone ?? task.timezone,
  }, now);
  const v = validateEvent(e);
  if (!v.ok) throw new Error(`refusing to publish an invalid reminder.due: ${JSON.stringify(v.details)}`);
  return e;
}

/**
 * A Dapr reminder fired. The actor re-reads the task: only if the reminder is still scheduled, the
 * task is open, and the reminder's time computed from the task as it is now is the time it was
 * scheduled for, `reminder.due` goes out (through the outbox). The schedule row is marked fired in
 * the same transaction, so a reminder that Dapr delivers twice notifies once.
 *
 * The same turn fires the user's other reminders whose time has come (never one whose time has
 * not): when many of a user's reminders fall due together, the first trigger does the work of all
 * in one transaction, and the triggers that follow find their rows fired with one cheap read.
 * Returns how many reminder.due events went out.
 */
export async function fireReminder(deps: TaskCommandDeps, userId: string, data: ReminderData): Promise<number> {
  const peek = await peekRow(deps.pool, userId, data.name);
  if (!peek || peek.state !== 'active' || peek.fire_at.getTime() !== Date.parse(data.fireAt)) return 0; // fired with another, or changed
  const now = deps.now();
  const events: EventEnvelope<unknown>[] = [];
  const fired: ScheduleRow[] = [];
  await commitIf(deps.pool, async (tx) => {
    const own = await lockRow(tx, userId, data.name);
    const rows = own && own.state === 'active' && own.fire_at.getTime() === Date.parse(data.fireAt) ? [own] : [];
    rows.push(...(await lockOtherDueRows(tx, userId, data.name, now, FIRE_BATCH - rows.length)));
    if (rows.length === 0) return false;
    const tasks = await store.getTasks(tx, userId, [...new Set(rows.map((r) => r.task_id))]);
    const user = (await tx.query<{ email: string | null; timezone: string | null }>('SELECT email, timezone FROM users WHERE id = $1', [userId])).rows[0];
    for (const row of rows) {
      const e = dueEventFor(userId, row, tasks.get(row.task_id), user, now);
      if (e) {
        events.push(e);
        fired.push(row);
      }
    }
    await insertOutboxEvents(tx, events);
    await markFired(tx, userId, rows.map((r) => r.name));
    return true;
  });
  if (events.length === 0) return 0;
  events.forEach((e, i) => {
    const lateMs = now.getTime() - fired[i].fire_at.getTime();
    reminderFireLateness.observe(lateMs / 1000);
    deps.log.info('reminder.due', { userId, taskId: e.taskId, eventId: e.eventId, reminderId: fired[i].reminder_id, lateMs, trigger: fired[i].name === data.name });
  });
  deps.kickOutbox(userId);
  return events.length;
}
