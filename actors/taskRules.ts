/**
 * The task rules, apart from any I/O: what a new task, a patched task, a completed or reopened
 * task and a series' next occurrence look like, and the checks that span fields. The commands
 * (taskCommands.ts) load, decide with these, and write.
 */
import { randomUUID } from 'node:crypto';
import { planNextOccurrence, reminderTimes, validateRecurrence } from '../common/recurrence';
import type { Reminder, Task, TaskCreateInput } from '../common/tasks/task';
import type { FieldError } from '../common/validation';

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

/** A new open task from validated input: trimmed title, defaults filled, reminder ids given. */
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

/**
 * Rules that span fields, checked on the task as it would be stored: reminder ids are unique, a
 * recurring task needs a due time, and its rule must make sense there (common/recurrence).
 */
export function crossFieldErrors(t: Task): FieldError[] {
  const errors = duplicateReminderIds(t.reminders);
  if (t.recurrence) {
    if (!t.due) errors.push({ field: 'due', message: 'is required for a recurring task: its first due time starts the series' });
    else {
      const v = validateRecurrence(t.recurrence.rule, t.due, t.timezone);
      if (!v.ok) errors.push(...v.details);
    }
  }
  return errors;
}

/**
 * How far in the past a reminder may be set and still fire: at once, late, its email saying so.
 * Further back it is refused (400 naming it), so a reminder shown as set is one that fires.
 */
export const REMINDER_PAST_GRACE_MS = 60_000;

/**
 * The reminders this write sets for a moment more than REMINDER_PAST_GRACE_MS ago: new ones, and
 * ones whose time moved (their own `at`, or the due time or zone of a `before` reminder). A
 * reminder the write leaves where it was is not judged again: one that fired yesterday does not
 * stop anyone editing the title. A completed task's reminders never fire and are not judged.
 */
export function pastReminderErrors(task: Task, before: Task | undefined, now: Date): FieldError[] {
  if (task.status !== 'open' || task.reminders.length === 0) return [];
  const fires = (t: Task) => reminderTimes({ due: t.due ? new Date(t.due) : null, zone: t.timezone, reminders: t.reminders });
  const was = new Map((before && before.status === 'open' ? fires(before) : []).map((f) => [f.id, f.fireAt.getTime()]));
  const errors: FieldError[] = [];
  for (const f of fires(task)) {
    if (was.get(f.id) === f.fireAt.getTime()) continue;
    if (f.fireAt.getTime() >= now.getTime() - REMINDER_PAST_GRACE_MS) continue;
    const i = task.reminders.findIndex((r) => r.id === f.id);
    errors.push({
      field: `reminders.${i}`,
      message: `reminder "${f.id}" would fire at ${f.fireAt.toISOString()}, more than ${REMINDER_PAST_GRACE_MS / 1000} s in the past: set a later time or remove it`,
    });
  }
  return errors;
}

/** Which writes move a task's reminders: a change of any of these fields reschedules them. */
export const changesReminderTimes = (changed: readonly string[]): boolean => changed.some((f) => f === 'due' || f === 'timezone' || f === 'reminders');

/** The task completed at `now` (one version later). */
export function completedTask(task: Task, now: Date): Task {
  return { ...task, status: 'completed', completedAt: now.toISOString(), updatedAt: now.toISOString(), version: task.version + 1 };
}

/** The task open again at `now` (one version later). */
export function reopenedTask(task: Task, now: Date): Task {
  return { ...task, status: 'open', completedAt: null, updatedAt: now.toISOString(), version: task.version + 1 };
}

/**
 * The next occurrence of a recurring task that `done` completes at `now`: a new open task of the
 * same series, title, tags, priority and reminder offsets ("before"; absolute "at" reminders
 * belonged to the finished occurrence), due at the series' next time, occurrence + 1 or later.
 * Null when the task does not recur or its series has ended.
 */
export function nextOccurrence(done: Task, now: Date): Task | null {
  if (!done.recurrence || !done.seriesId) return null;
  const plan = planNextOccurrence(done, now);
  if (!plan) return null;
  const at = now.toISOString();
  return {
    ...done,
    id: randomUUID(),
    status: 'open',
    due: plan.due.toISOString(),
    reminders: done.reminders.filter((r) => 'before' in r).map((r) => ({ ...r })),
    occurrence: plan.occurrence,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
}
