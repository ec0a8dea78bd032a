/**
 * Which Dapr actor reminders a task should have, and the reminder_schedule rows that record them.
 *
 * Dapr has no API to list an actor's reminders, so the actor keeps its own record: one row per
 * (task, occurrence, reminder), written in the same transaction as the task change. In Dapr the
 * user has one alarm, at the earliest active row (actors/userAlarms.ts). A row is a small outbox
 * of Dapr work: `synced = false` means "make sure the user's alarm is at or before this row" (or,
 * when cancelled, "delete this row"), done right after commit and, after a crash, by the actor
 * host's reconciler; a row the alarm already covers is written synced. So a committed change never
 * loses a reminder. `changed_at` is kept at millisecond precision so that "synced, unless changed
 * since" compares equal from JavaScript.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { reminderTimes } from '../common/recurrence';
import type { Task } from '../common/tasks/task';

import { REMINDER_PAST_GRACE_MS } from './taskRules';
import { coveredBy } from './userAlarms';

export interface DesiredReminder {
  name: string;
  taskId: string;
  reminderId: string;
  occurrence: number;
  fireAt: Date;
}

/** The Dapr reminder name of one reminder of one occurrence: URL-safe whatever the reminder id is. */
export function reminderName(taskId: string, occurrence: number, reminderId: string): string {
  return `rem-${taskId}-${occurrence}-${createHash('sha256').update(reminderId).digest('hex').slice(0, 16)}`;
}

/**
 * The reminders an open task should have now: one per reminder whose fire time is at most
 * REMINDER_PAST_GRACE_MS ago (the write refused any it set further back: taskRules.ts
 * pastReminderErrors). One whose time has just passed is registered for that time, so Dapr fires
 * it at once, late. Completed tasks have none.
 */
export function desiredReminders(task: Task, now: Date): DesiredReminder[] {
  if (task.status !== 'open' || task.reminders.length === 0) return [];
  const fires = reminderTimes({ due: task.due ? new Date(task.due) : null, zone: task.timezone, reminders: task.reminders });
  return fires
    .filter((f) => f.fireAt.getTime() >= now.getTime() - REMINDER_PAST_GRACE_MS)
    .map((f) => ({ name: reminderName(task.id, task.occurrence, f.id), taskId: task.id, reminderId: f.id, occurrence: task.occurrence, fireAt: f.fireAt }));
}

/**
 * Makes the task's rows say `desired`: rows no longer wanted become cancelled (to be deleted), new
 * or moved ones are (re)written, synced when the user's alarm (`alarmAt`, what this host registered:
 * actors/userAlarms.ts) is at or before them, unsynced otherwise. Untouched rows stay as they are;
 * so does a fired row whose time did not move (a reminder that fired a moment ago is not fired
 * again by an edit). Two statements at most, one for a task this transaction creates (it has no
 * rows to cancel). True when a row needs the reminder sync (actors/reminderSync.ts).
 */
export async function replaceSchedule(tx: PoolClient, userId: string, taskId: string, desired: DesiredReminder[], taskVersion: number, newTask: boolean, alarmAt: Date | undefined): Promise<boolean> {
  // One row per name (the last wins, as row-by-row upserts would leave it): ON CONFLICT may touch a row once per statement.
  const byName = new Map(desired.map((d) => [d.name, d]));
  const rows = [...byName.values()];
  let cancelled = 0;
  if (!newTask) {
    cancelled = (await tx.query({
      name: 'reminder-schedule-cancel-others',
      text: `UPDATE reminder_schedule SET state = 'cancelled', synced = false, changed_at = date_trunc('milliseconds', now())
              WHERE user_id = $1 AND task_id = $2 AND state = 'active' AND NOT (name = ANY($3::text[]))`,
      values: [userId, taskId, rows.map((d) => d.name)],
    })).rowCount ?? 0;
  }
  if (rows.length === 0) return cancelled > 0;
  const covered = rows.map((d) => coveredBy(alarmAt, d.fireAt));
  await tx.query({
    name: 'reminder-schedule-upsert',
    text: `INSERT INTO reminder_schedule (user_id, name, task_id, reminder_id, occurrence, fire_at, task_version, state, synced, changed_at)
           SELECT $1, d.name, $2, d.reminder_id, d.occurrence, d.fire_at, $3, 'active', d.covered, date_trunc('milliseconds', now())
             FROM unnest($4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::bool[]) AS d(name, reminder_id, occurrence, fire_at, covered)
           ON CONFLICT (user_id, name) DO UPDATE SET fire_at = EXCLUDED.fire_at, task_version = EXCLUDED.task_version,
             state = 'active', synced = EXCLUDED.synced, changed_at = date_trunc('milliseconds', now())
           WHERE reminder_schedule.fire_at <> EXCLUDED.fire_at OR reminder_schedule.state = 'cancelled'`,
    values: [userId, taskId, taskVersion, rows.map((d) => d.name), rows.map((d) => d.reminderId), rows.map((d) => d.occurrence), rows.map((d) => d.fireAt.toISOString()), covered],
  });
  return cancelled > 0 || covered.some((c) => !c);
}

export interface ScheduleRow {
  user_id: string;
  name: string;
  task_id: string;
  reminder_id: string;
  occurrence: number;
  fire_at: Date;
  state: 'active' | 'cancelled' | 'fired';
  changed_at: Date;
}

/** The row of a reminder as it is now, unlocked: a cheap look before the firing transaction. */
export async function peekRow(db: Pool, userId: string, name: string): Promise<Pick<ScheduleRow, 'state' | 'fire_at'> | undefined> {
  return (await db.query<ScheduleRow>('SELECT state, fire_at FROM reminder_schedule WHERE user_id = $1 AND name = $2', [userId, name])).rows[0];
}

/** The row a firing reminder belongs to, locked for the firing transaction (waiting for another writer of it). */
export async function lockRow(tx: PoolClient, userId: string, name: string): Promise<ScheduleRow | undefined> {
  return (await tx.query<ScheduleRow>('SELECT * FROM reminder_schedule WHERE user_id = $1 AND name = $2 FOR UPDATE', [userId, name])).rows[0];
}

/**
 * The user's other active reminders whose time has come (fire_at <= now), locked, at most `limit`:
 * a firing reminder fires them in the same turn. Rows another transaction holds are skipped, not
 * waited for (so two hosts firing for one user during a rebalance never deadlock): their holder,
 * or their own trigger, fires them.
 */
export async function lockOtherDueRows(tx: PoolClient, userId: string, exceptName: string, now: Date, limit: number): Promise<ScheduleRow[]> {
  return (await tx.query<ScheduleRow>(
    `SELECT * FROM reminder_schedule WHERE user_id = $1 AND state = 'active' AND fire_at <= $2 AND name <> $3
      ORDER BY fire_at LIMIT $4 FOR UPDATE SKIP LOCKED`,
    [userId, now.toISOString(), exceptName, limit],
  )).rows;
}

export async function markFired(tx: PoolClient, userId: string, names: string[]): Promise<void> {
  await tx.query(
    "UPDATE reminder_schedule SET state = 'fired', synced = true, changed_at = date_trunc('milliseconds', now()) WHERE user_id = $1 AND name = ANY($2::text[])",
    [userId, names],
  );
}

/** Rows of any user left unsynced for more than `olderThanMs` (a crash between a commit and its sync), oldest change first. */
export async function unsyncedRows(db: Pool, olderThanMs: number, limit: number): Promise<ScheduleRow[]> {
  return (await db.query<ScheduleRow>(
    `SELECT * FROM reminder_schedule WHERE synced = false AND changed_at <= now() - ($1::int * interval '1 millisecond')
      ORDER BY changed_at LIMIT $2`,
    [olderThanMs, limit],
  )).rows;
}

/** What the sync needs of one user, in one round trip: where the alarm belongs (the earliest active row), and the rows not synced yet (at most `limit`). */
export async function userSchedule(db: Pool, userId: string, limit: number): Promise<{ alarmAt: Date | undefined; unsynced: ScheduleRow[] }> {
  const res = await db.query<ScheduleRow & { alarm_at: Date | null }>({
    name: 'reminder-schedule-of-user',
    text: `SELECT u.*, m.alarm_at
             FROM (SELECT min(fire_at) AS alarm_at FROM reminder_schedule WHERE user_id = $1 AND state = 'active') m
             LEFT JOIN LATERAL (SELECT * FROM reminder_schedule WHERE user_id = $1 AND NOT synced ORDER BY changed_at LIMIT $2) u ON true`,
    values: [userId, limit],
  });
  return { alarmAt: res.rows[0]?.alarm_at ?? undefined, unsynced: res.rows.filter((r) => r.name !== null) };
}

/** The rows the sync read are done with, unless changed since: active ones are synced (the alarm covers them), cancelled ones deleted. */
export async function settleSynced(db: Pool, userId: string, rows: ScheduleRow[]): Promise<void> {
  const active = rows.filter((r) => r.state === 'active');
  const cancelled = rows.filter((r) => r.state === 'cancelled');
  const keyed = (rs: ScheduleRow[]) => [rs.map((r) => r.name), rs.map((r) => r.changed_at.toISOString())];
  if (active.length) {
    await db.query(
      `UPDATE reminder_schedule s SET synced = true FROM unnest($2::text[], $3::timestamptz[]) AS d(name, changed_at)
        WHERE s.user_id = $1 AND s.name = d.name AND s.changed_at = d.changed_at AND s.state = 'active'`,
      [userId, ...keyed(active)],
    );
  }
  if (cancelled.length) {
    await db.query(
      `DELETE FROM reminder_schedule s USING unnest($2::text[], $3::timestamptz[]) AS d(name, changed_at)
        WHERE s.user_id = $1 AND s.name = d.name AND s.changed_at = d.changed_at AND s.state = 'cancelled'`,
      [userId, ...keyed(cancelled)],
    );
  }
}

/**
 * Active reminders whose time passed more than `overdueMs` ago without firing: Dapr delivered the
 * trigger while the actor host was down, or not at all. The reconciler fires them through the actor.
 */
export async function overdueRows(db: Pool, overdueMs: number, limit: number): Promise<ScheduleRow[]> {
  return (await db.query<ScheduleRow>(
    `SELECT * FROM reminder_schedule WHERE state = 'active' AND synced AND fire_at <= now() - ($1::int * interval '1 millisecond')
      ORDER BY fire_at LIMIT $2`,
    [overdueMs, limit],
  )).rows;
}
