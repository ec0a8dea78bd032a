/**
 * How a task command writes: the change, its events (through the outbox's one door, appendEvents)
 * and its reminder schedule in one transaction; after commit, the events go out, and the user's
 * alarm is moved if a reminder came before it (actors/userAlarms.ts).
 */
import type { PoolClient } from 'pg';
import type { UserActorMethod } from '../common/actorApi';
import { appendEvents } from '../common/db/outbox';
import { commitIf } from '../common/db/pool';
import type { EventEnvelope } from '../common/events/envelope';
import type { Task } from '../common/tasks/task';
import type { ActorDeps } from './actorDeps';
import { desiredReminders, replaceSchedule, type DesiredReminder } from './reminderSchedule';
import { afterCommit } from './testFaults';

/** The reminders one task should have after the change (an empty list cancels them all). */
export interface Schedule {
  taskId: string;
  version: number;
  desired: DesiredReminder[];
  /** The task is created by this change: it has no rows to cancel yet. */
  newTask?: boolean;
}

/** The schedule of a task as it is after the change. */
export const scheduleOf = (t: Task, now: Date): Schedule => ({ taskId: t.id, version: t.version, desired: desiredReminders(t, now) });

export interface Change {
  /** The command writing (for the test fault points, actors/testFaults.ts). */
  command: UserActorMethod;
  userId: string;
  /** The change itself; false when it cannot go ahead (a version guard failed): nothing is written. */
  write: (tx: PoolClient) => Promise<boolean>;
  /** Its events, validated and appended to the outbox in this order. */
  events: EventEnvelope<unknown>[];
  /** The tasks whose reminders it moves. */
  schedules?: Schedule[];
}

/** Writes the change, its outbox rows and its reminder schedule in one transaction; false (nothing written) when write says so. */
export async function commit(deps: ActorDeps, change: Change): Promise<boolean> {
  const { userId, events, schedules = [] } = change;
  const alarmAt = deps.alarms.alarmOf(userId); // the actor's turn: no firing can consume it before the commit
  let needsSync = false;
  const ok = await commitIf(deps.pool, async (tx) => {
    if (!(await change.write(tx))) return false;
    await appendEvents(tx, events);
    for (const sch of schedules) if (await replaceSchedule(tx, userId, sch.taskId, sch.desired, sch.version, sch.newTask ?? false, alarmAt)) needsSync = true;
    return true;
  });
  if (!ok) return false;
  afterCommit(change.command);
  if (events.length) {
    for (const e of events) deps.log.info(e.type, { userId, taskId: e.taskId, eventId: e.eventId, traceId: e.traceId });
    deps.kickOutbox(userId);
  }
  if (needsSync) deps.syncReminders(userId);
  return true;
}
