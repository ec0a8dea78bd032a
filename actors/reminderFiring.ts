/**
 * A user's alarm fired (or the reconciler fired an overdue reminder): reminder.due goes out through
 * the outbox for each of the user's reminders whose time has come and that the task still wants.
 * The schedule it reads and marks is reminderSchedule.ts.
 */
import type { TriggerData } from '../common/actorApi';
import { appendEvents } from '../common/db/outbox';
import { commitIf } from '../common/db/pool';
import { buildEvent, type EventEnvelope } from '../common/events/envelope';
import { reminderFireLateness } from '../common/metrics';
import { reminderTimes } from '../common/recurrence';
import type { Task } from '../common/tasks/task';
import type { ActorDeps } from './actorDeps';
import { holdFor } from './reminderLead';
import { lockOtherDueRows, lockRow, markFired, peekRow, type ScheduleRow } from './reminderSchedule';
import { setTimeout as sleep } from 'node:timers/promises';
import * as store from './taskStore';

/** At most this many reminders of one user fire in one turn (one transaction). */
export const FIRE_BATCH = 200;

/** reminder.due for a schedule row, if the task as it is now still wants that reminder at that time. */
function dueEventFor(userId: string, row: ScheduleRow, task: Task | undefined, user: { email: string | null; timezone: string | null } | undefined, now: Date): EventEnvelope<unknown> | undefined {
  if (!task || task.status !== 'open' || task.occurrence !== row.occurrence) return undefined;
  const current = reminderTimes({ due: task.due ? new Date(task.due) : null, zone: task.timezone, reminders: task.reminders }).find((f) => f.id === row.reminder_id);
  if (!current || current.fireAt.getTime() !== row.fire_at.getTime()) return undefined;
  return buildEvent('reminder.due', userId, task.id, {
    reminderId: row.reminder_id, occurrence: row.occurrence, fireAt: row.fire_at.toISOString(), firedAt: now.toISOString(),
    task, email: user?.email ?? null, timezone: user?.timezone ?? task.timezone,
  }, now);
}

/**
 * A Dapr reminder fired: the user's alarm (actors/userAlarms.ts), or the reconciler's call for an
 * overdue row (or a reminder registered one per row before alarms). The actor fires the user's
 * reminders whose time has come, never one whose time has not, in transactions of FIRE_BATCH rows
 * at most, all in this turn: for each, only
 * if the task is open and the reminder's time computed from the task as it is now is the time it
 * was scheduled for, `reminder.due` goes out (through the outbox). The rows are marked fired in
 * the same transaction, so a reminder that Dapr delivers twice notifies once. Then the reminder
 * sync registers the alarm for the earliest reminder left.
 *
 * Dapr triggers up to the lead before the time (actors/reminderLead.ts): the turn holds the
 * trigger until the instant, then fires. Returns how many reminder.due events went out.
 */
export async function fireReminder(deps: ActorDeps, userId: string, data: TriggerData): Promise<number> {
  const fireAt = new Date(data.fireAt);
  let own: string | undefined;
  if ('kind' in data) {
    deps.alarms.forget(userId); // an alarm fires once: the next must be registered anew
  } else {
    const peek = await peekRow(deps.pool, userId, data.name);
    if (!peek || peek.state !== 'active' || peek.fire_at.getTime() !== fireAt.getTime()) return 0; // fired with another, or changed
    own = data.name;
  }
  // Held until the instant; a timer can wake a millisecond before the wall clock reaches it, so the clock decides.
  let hold = holdFor(fireAt, deps.now(), deps.reminderLeadMs);
  while (hold.kind === 'wait') {
    await sleep(hold.ms);
    hold = holdFor(fireAt, deps.now(), deps.reminderLeadMs);
  }
  if (hold.kind === 'too-early') {
    // Left active: past its time, the reconciler fires it (actors/reminderSync.ts). Not registered
    // again here: with a clock this far off, the new alarm would come back as early at once.
    deps.log.warn('reminder triggered far ahead of its time; not fired by this trigger', { userId, fireAt: data.fireAt, earlyMs: hold.ms });
    return 0;
  }
  // More than one transaction's worth due: the next batches in this turn, not through a new alarm,
  // which would have the name of the one being delivered (same time), and a one-shot job may be
  // deleted when its delivery completes (not verified against Dapr's scheduler: not relied on).
  let fired = 0;
  for (let batch = await fireDue(deps, userId, own, fireAt.getTime()); ; batch = await fireDue(deps, userId, undefined, 0)) {
    fired += batch.events;
    if (batch.rows < FIRE_BATCH) break;
  }
  deps.syncReminders(userId);
  return fired;
}

/**
 * Fires the user's due reminders (the row `own` first, if it is still due at `ownFireAt`) in one
 * transaction, at most FIRE_BATCH rows: how many rows it marked fired, and how many events went out.
 */
async function fireDue(deps: ActorDeps, userId: string, own: string | undefined, ownFireAt: number): Promise<{ rows: number; events: number }> {
  const now = deps.now();
  const events: EventEnvelope<unknown>[] = [];
  const fired: ScheduleRow[] = [];
  let marked = 0;
  await commitIf(deps.pool, async (tx) => {
    const row = own === undefined ? undefined : await lockRow(tx, userId, own);
    const rows = row && row.state === 'active' && row.fire_at.getTime() === ownFireAt ? [row] : [];
    rows.push(...(await lockOtherDueRows(tx, userId, own ?? '', now, FIRE_BATCH - rows.length)));
    if (rows.length === 0) return false;
    const tasks = await store.getTasks(tx, userId, [...new Set(rows.map((r) => r.task_id))]);
    const user = (await tx.query<{ email: string | null; timezone: string | null }>('SELECT email, timezone FROM users WHERE id = $1', [userId])).rows[0];
    for (const r of rows) {
      const e = dueEventFor(userId, r, tasks.get(r.task_id), user, now);
      if (e) {
        events.push(e);
        fired.push(r);
      }
    }
    await appendEvents(tx, events);
    await markFired(tx, userId, rows.map((r) => r.name));
    marked = rows.length;
    return true;
  });
  if (events.length === 0) return { rows: marked, events: 0 };
  events.forEach((e, i) => {
    const lateMs = now.getTime() - fired[i].fire_at.getTime();
    reminderFireLateness.observe(lateMs / 1000);
    deps.log.info('reminder.due', { userId, taskId: e.taskId, eventId: e.eventId, reminderId: fired[i].reminder_id, lateMs, trigger: fired[i].name === own });
  });
  deps.kickOutbox(userId);
  return { rows: marked, events: events.length };
}
