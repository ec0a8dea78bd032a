/**
 * A user's alarm fires every reminder of the user whose time has come (actors/reminderFiring.ts),
 * on the real PostgreSQL: more than one transaction's worth in the same turn, never one whose time
 * has not come, and then it asks the reminder sync, once, for the next alarm.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../common/db/pool';
import { createLogger } from '../common/logger';
import { uniqueUser } from '../stack/testSupport';
import type { ActorDeps } from './actorDeps';
import { FIRE_BATCH, fireReminder } from './reminderFiring';
import { createTask } from './taskCommands';
import { KnownQuotaUse } from './quotas';
import { UserAlarms } from './userAlarms';

describe('a user\'s alarm firing (real PostgreSQL)', function () {
  this.timeout(120_000);
  let pool: Pool;
  let deps: ActorDeps;
  const synced: string[] = [];

  before(() => {
    pool = createPool('reminder-firing-integration-test');
    const log = createLogger('reminder-firing-test');
    log.silent = true;
    deps = {
      pool, kickOutbox: () => undefined, syncReminders: (u) => synced.push(u), now: () => new Date(), reminderLeadMs: 0, log,
      quotas: { openTasks: 10_000, pendingReminders: 10_000 }, knownUse: new KnownQuotaUse(), alarms: new UserAlarms(),
    };
  });
  after(async () => {
    await pool?.end();
  });

  it('fires every reminder due at its time, more than one transaction holds, in one turn; leaves the later one; asks for the next alarm once', async () => {
    const userId = uniqueUser('alarm-batches');
    const at = new Date(Math.ceil((Date.now() + 3600_000) / 1000) * 1000);
    const later = new Date(at.getTime() + 3600_000);
    const due = FIRE_BATCH * 2 + 5;
    for (let i = 0; i < due; i++) {
      const r = await createTask(deps, userId, { input: { title: `due together ${i}`, reminders: [{ at: at.toISOString() }] } });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    const laterTask = await createTask(deps, userId, { input: { title: 'an hour later', reminders: [{ at: later.toISOString() }] } });
    assert.equal(laterTask.ok, true);

    deps.alarms.record(userId, at, deps.alarms.generation());
    synced.length = 0;
    const fired = await fireReminder({ ...deps, now: () => at }, userId, { kind: 'alarm', fireAt: at.toISOString() });

    assert.equal(fired, due, 'every reminder due at the alarm fired');
    const states = (await pool.query<{ state: string; n: string }>(
      'SELECT state, count(*) AS n FROM reminder_schedule WHERE user_id = $1 GROUP BY state ORDER BY state', [userId])).rows;
    assert.deepEqual(states.map((r) => [r.state, Number(r.n)]), [['active', 1], ['fired', due]], 'the one an hour later is still to fire');
    const events = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE user_id = $1 AND payload->>'type' = 'reminder.due'", [userId])).rows[0].n);
    assert.equal(events, due, 'one reminder.due each');
    assert.deepEqual(synced, [userId], 'the sync is asked once, for the next alarm');
    assert.equal(deps.alarms.alarmOf(userId), undefined, 'the fired alarm is forgotten: the next one must be registered');
  });
});
