/**
 * Per user, the outbox's seq order must be its commit order: the publisher sends a user's rows in
 * seq order as they become visible, and the device stream replays by seq, so a row that commits
 * after a higher seq of the same user was already visible is published out of order (and a device
 * resuming after that higher seq never gets it). On the real PostgreSQL: the real reminder firing
 * races an open notification settlement of the same user (the subscriber's reminder.sent, written
 * through the same outbox function the subscriber uses, its transaction held open by the test).
 */
import assert from 'node:assert/strict';
import type { Pool, PoolClient } from 'pg';
import { createPool } from '../common/db/pool';
import type { ReminderData } from '../common/actorApi';
import { appendEvents } from '../common/db/outbox';
import { buildEvent } from '../common/events/envelope';
import { createLogger } from '../common/logger';
import { uniqueUser } from '../stack/testSupport';
import type { ActorDeps } from './actorDeps';
import { fireReminder } from './reminderFiring';
import { createTask } from './taskCommands';
import { KnownQuotaUse } from './quotas';
import { UserAlarms } from './userAlarms';

describe('the outbox order of one user (real PostgreSQL)', function () {
  this.timeout(60_000);
  let pool: Pool;
  let deps: ActorDeps;

  before(() => {
    pool = createPool('outbox-order-integration-test');
    const log = createLogger('outbox-order-test');
    log.silent = true;
    deps = { pool, kickOutbox: () => undefined, syncReminders: () => undefined, now: () => new Date(), reminderLeadMs: 0, log, quotas: { openTasks: 1000, pendingReminders: 1000 }, knownUse: new KnownQuotaUse(), alarms: new UserAlarms() };
  });
  after(async () => {
    await pool?.end();
  });

  it('a reminder that fires while a notification settlement of the same user is open commits its reminder.due after it, in seq order', async () => {
    const userId = uniqueUser('outbox-order');
    const due = new Date(Date.now() + 2 * 3600_000).toISOString();
    const created = await createTask(deps, userId, { input: { title: 'Water the plants', due, reminders: [{ before: 'PT1H' }] } });
    assert.equal(created.ok, true);
    const row = (await pool.query<{ name: string; task_id: string; reminder_id: string; occurrence: number; fire_at: Date }>(
      'SELECT name, task_id, reminder_id, occurrence, fire_at FROM reminder_schedule WHERE user_id = $1', [userId])).rows[0];
    const data: ReminderData = { name: row.name, taskId: row.task_id, reminderId: row.reminder_id, occurrence: row.occurrence, fireAt: row.fire_at.toISOString() };

    // The notification subscriber settles an earlier reminder of this user: its outbox row is in, not yet committed.
    const settling: PoolClient = await pool.connect();
    let fire: Promise<number> | undefined;
    try {
      await settling.query('BEGIN');
      const settlingPid = (await settling.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const sent = buildEvent('reminder.sent', userId, row.task_id, {
        reminderId: row.reminder_id, dueEventId: '00000000-0000-4000-8000-000000000000', to: 'someone@example.com', sentAt: new Date().toISOString(), attempts: 1,
      }, new Date());
      await appendEvents(settling, [sent]);
      const sentSeq = Number((await settling.query<{ seq: string }>('SELECT seq FROM outbox WHERE event_id = $1', [sent.eventId])).rows[0].seq);

      // The reminder fires meanwhile: it either commits now or waits for the settlement's commit.
      let settled = false;
      // (At the reminder's own time: a trigger far ahead of it is not fired, actors/reminderLead.ts.)
      fire = fireReminder({ ...deps, now: () => row.fire_at }, userId, data).finally(() => { settled = true; });
      const waitsForSettlement = async () => (await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [settlingPid])).rows[0].n !== '0';
      while (!settled && !(await waitsForSettlement())) await new Promise((r) => setTimeout(r, 20));

      // What the publisher can see of this user while the settlement is still open.
      const visible = (await pool.query<{ seq: string; type: string }>(
        "SELECT seq, payload->>'type' AS type FROM outbox WHERE user_id = $1 ORDER BY seq", [userId])).rows;
      const overtaking = visible.filter((r) => Number(r.seq) > sentSeq);
      assert.deepEqual(overtaking, [],
        `rows committed before the settlement's reminder.sent (seq ${sentSeq}) have higher seqs: the publisher would send them first, and a device resuming after them would never get it`);
    } finally {
      await settling.query('COMMIT');
      settling.release();
      await fire;
    }
    assert.equal(await fire, 1, 'the reminder fired once');
    // (The running subscriber may add a reminder.failed for the due one meanwhile: the user has no e-mail address.)
    const types = (await pool.query<{ type: string }>(
      "SELECT payload->>'type' AS type FROM outbox WHERE user_id = $1 AND payload->>'type' <> 'reminder.failed' ORDER BY seq", [userId])).rows.map((r) => r.type);
    assert.deepEqual(types, ['task.created', 'reminder.sent', 'reminder.due'], 'seq order is commit order');
  });
});
