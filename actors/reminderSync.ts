/**
 * Makes Dapr's actor reminders match the reminder_schedule rows: each user with active rows has an
 * alarm registered at or before the earliest (actors/userAlarms.ts); rows are then marked synced,
 * and cancelled ones deleted. Right after a commit or a firing for that user (`kick`), and in a
 * reconciler pass over every user for rows a crash left unsynced.
 *
 * Alarms are registered through Dapr's HTTP actor API with an absolute RFC 3339 dueTime: the
 * JS SDK's registerActorReminder takes durations and mangles those with days. The dueTime is the
 * lead before the alarm's time (actors/reminderLead.ts); the data carries the time itself.
 */
import type { Pool } from 'pg';
import { actorMethodPath, USER_ACTOR_TYPE, type AlarmData, type ReminderData } from '../common/actorApi';
import { daprRequest } from '../common/httpClient';
import type { Logger } from '../common/logger';
import { every, type Periodic } from '../common/periodic';
import { triggerTime } from './reminderLead';
import { overdueRows, settleSynced, unsyncedRows, userSchedule, type ScheduleRow } from './reminderSchedule';
import { alarmName, coveredBy, type UserAlarms } from './userAlarms';

/** A reminder this late that has not fired is fired by the reconciler. */
const OVERDUE_MS = 5000;
/** Users whose overdue reminders the reconciler fires at once, and how long one firing call may take. */
const OVERDUE_PARALLEL = 8;
const OVERDUE_CALL_TIMEOUT_MS = 4000;
/** Unsynced rows of one user settled per pass of its sync (it goes on while there are more). */
const SYNC_BATCH = 500;

export class ReminderSync {
  private readonly running = new Map<string, Promise<boolean>>();
  private readonly again = new Set<string>();
  private reconciler: Periodic | undefined;
  private stopped = false;

  constructor(private readonly pool: Pool, private readonly daprHttpPort: number, private readonly leadMs: number, private readonly alarms: UserAlarms, private readonly log: Logger) {}

  /**
   * Syncs the user soon (once more after the sync running now, if one is). Resolves when the
   * user's syncs are done: true if the last pass succeeded (a failed one is logged, and the
   * reconciler retries it).
   */
  kick(userId: string): Promise<boolean> {
    const running = this.running.get(userId);
    if (running) {
      this.again.add(userId);
      return running;
    }
    if (this.stopped) return Promise.resolve(false);
    const run = (async () => {
      let ok: boolean;
      do {
        this.again.delete(userId);
        try {
          if (await this.syncUser(userId)) this.again.add(userId);
          ok = true;
        } catch (err) {
          ok = false;
          this.log.warn('reminder sync failed; the reconciler will retry', { userId, err: String(err) });
        }
      } while (this.again.has(userId) && !this.stopped);
      return ok;
    })().finally(() => this.running.delete(userId));
    this.running.set(userId, run);
    return run;
  }

  /**
   * One pass for one user: the alarm is registered for the earliest active row unless the alarm
   * this host knows of is already at or before it, then the rows read are settled. True when there may be more unsynced rows than
   * one pass takes.
   */
  private async syncUser(userId: string): Promise<boolean> {
    const generation = this.alarms.generation();
    const { alarmAt, unsynced } = await userSchedule(this.pool, userId, SYNC_BATCH);
    // An alarm is never unregistered from here, even with no active row left: this runs outside the
    // actor's turn, and a create in the turn may have just written a row the alarm covers. One left
    // without rows fires, finds nothing due, and registers nothing.
    if (alarmAt && !coveredBy(this.alarms.alarmOf(userId), alarmAt)) {
      await this.registerAlarm(userId, alarmAt);
      this.alarms.record(userId, alarmAt, generation);
    }
    if (unsynced.length) await settleSynced(this.pool, userId, unsynced);
    return unsynced.length === SYNC_BATCH;
  }

  private async registerAlarm(userId: string, fireAt: Date): Promise<void> {
    const data: AlarmData = { kind: 'alarm', fireAt: fireAt.toISOString() };
    const name = alarmName(fireAt);
    const res = await daprRequest({
      port: this.daprHttpPort, method: 'POST', timeoutMs: 10_000,
      path: `/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(userId)}/reminders/${encodeURIComponent(name)}`,
      headers: { 'content-type': 'application/json' },
      // data as a JSON *string*: the JS SDK calls toString() on a reminder's data before JSON.parse,
      // so an object would arrive as "[object Object]".
      body: JSON.stringify({ dueTime: triggerTime(fireAt, this.leadMs).toISOString(), period: '', data: JSON.stringify(data) }),
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`registering alarm ${name}: ${res.status} ${res.body.slice(0, 200)}`);
  }

  /** Fires an overdue reminder through the user's actor (one turn at a time, like Dapr's own trigger). */
  private async fireThroughActor(r: ScheduleRow): Promise<void> {
    const data: ReminderData = { name: r.name, taskId: r.task_id, reminderId: r.reminder_id, occurrence: r.occurrence, fireAt: r.fire_at.toISOString() };
    const res = await daprRequest({
      port: this.daprHttpPort, method: 'POST', timeoutMs: OVERDUE_CALL_TIMEOUT_MS, headers: { 'content-type': 'application/json' },
      path: actorMethodPath(r.user_id, 'fireOverdueReminder'), body: JSON.stringify(data),
    });
    if (res.status !== 200) throw new Error(`firing overdue reminder ${r.name}: ${res.status} ${res.body.slice(0, 200)}`);
  }

  /**
   * Every interval, for any user: rows unsynced for more than two seconds (a crash between commit
   * and Dapr), and active reminders more than OVERDUE_MS past their time (the trigger came while
   * the actor host was down). Firing twice is harmless: the row is marked fired once.
   */
  startReconciler(intervalMs: number): void {
    this.reconciler = every(intervalMs, 'reminder reconciler pass', this.log, async () => {
      // The two halves fail apart: while the scheduler is down registering fails, but overdue
      // reminders can still be fired through the actors (placement is all they need), and the reverse.
      const failures: string[] = [];
      try {
        const rows = await unsyncedRows(this.pool, 2000, SYNC_BATCH);
        const users = [...new Set(rows.map((r) => r.user_id))];
        let failed = 0;
        for (const u of users) if (!(await this.kick(u))) failed++;
        if (rows.length) this.log.info('reminder reconciler synced rows left behind', { rows: rows.length, users: users.length, failedUsers: failed });
        if (failed) throw new Error(`${failed} of ${users.length} users' reminders could not be synced`);
      } catch (err) {
        failures.push(`sync: ${String(err)}`);
      }
      try {
        await this.fireOverdue();
      } catch (err) {
        failures.push(`overdue: ${String(err)}`);
      }
      if (failures.length) throw new Error(failures.join('; '));
    });
  }

  /**
   * One firing per user with overdue reminders (the actor's turn fires the user's other due ones
   * with it), OVERDUE_PARALLEL users at a time, each call bounded by OVERDUE_CALL_TIMEOUT_MS: a
   * pass that began while placement was away must not hold up the first pass after it is back.
   */
  private async fireOverdue(): Promise<void> {
    const overdue = await overdueRows(this.pool, OVERDUE_MS, 500);
    if (overdue.length === 0) return;
    const firstPerUser = new Map<string, ScheduleRow>();
    for (const r of overdue) if (!firstPerUser.has(r.user_id)) firstPerUser.set(r.user_id, r); // rows come earliest first
    const queue = [...firstPerUser.values()];
    let failed = 0;
    await Promise.all(Array.from({ length: Math.min(OVERDUE_PARALLEL, queue.length) }, async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        try {
          await this.fireThroughActor(r);
        } catch (err) {
          failed++;
          this.log.warn('reminder reconciler could not fire an overdue reminder; the next pass retries', { userId: r.user_id, name: r.name, err: String(err) });
        }
      }
    }));
    this.log.info('reminder reconciler fired overdue reminders', { reminders: overdue.length, users: firstPerUser.size, failedUsers: failed });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconciler?.stop();
    await Promise.allSettled([...this.running.values()]);
  }
}
