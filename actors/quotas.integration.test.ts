/**
 * Per-user quotas on the real PostgreSQL, through the actor's own commands: the limit holds at
 * its exact place, completing or deleting frees places, and reminders have their own limit.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../common/db/pool';
import { createLogger } from '../common/logger';
import { uniqueUser } from '../stack/testSupport';
import type { ActorDeps } from './actorDeps';
import { KnownQuotaUse } from './quotas';
import { UserAlarms } from './userAlarms';
import { completeTask, createTask, deleteTask, reopenTask, updateTask } from './taskCommands';

describe('per-user quotas (real PostgreSQL)', function () {
  this.timeout(30_000);
  let pool: Pool;
  let deps: ActorDeps;
  const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

  before(() => {
    pool = createPool('quotas-integration-test');
    const log = createLogger('quotas-test');
    log.silent = true;
    deps = { pool, kickOutbox: () => undefined, syncReminders: () => undefined, now: () => new Date(), reminderLeadMs: 0, log, quotas: { openTasks: 2, pendingReminders: 2 }, knownUse: new KnownQuotaUse(), alarms: new UserAlarms() };
  });
  after(async () => {
    await pool?.end();
  });

  it('the open task past MAX_OPEN_TASKS_PER_USER is refused with 409 quota_exceeded, and creates nothing; completing one frees a place', async () => {
    const userId = uniqueUser('quota-tasks');
    const a = await createTask(deps, userId, { input: { title: 'one' } });
    const b = await createTask(deps, userId, { input: { title: 'two' } });
    assert.ok(a.ok && b.ok);
    const c = await createTask(deps, userId, { input: { title: 'three' } });
    assert.equal(c.ok, false);
    assert.equal(!c.ok && c.error.status, 409);
    assert.equal(!c.ok && c.error.code, 'quota_exceeded');
    assert.match(!c.ok ? c.error.message : '', /2 open tasks/);
    const stored = await pool.query('SELECT title FROM tasks WHERE user_id = $1 ORDER BY title', [userId]);
    assert.deepEqual(stored.rows.map((r) => r.title), ['one', 'two']);

    assert.ok((await completeTask(deps, userId, { taskId: a.task.id })).ok);
    assert.ok((await createTask(deps, userId, { input: { title: 'three' } })).ok, 'a completed task does not count');
    const reopened = await reopenTask(deps, userId, { taskId: a.task.id });
    assert.equal(!reopened.ok && reopened.error.code, 'quota_exceeded', 'reopening adds an open task');
    assert.ok((await deleteTask(deps, userId, { taskId: b.task.id })).ok);
    assert.ok((await reopenTask(deps, userId, { taskId: a.task.id })).ok, 'a deleted task frees its place');
  });

  it('pending reminders past MAX_PENDING_REMINDERS_PER_USER are refused on create and on update, naming reminders', async () => {
    const userId = uniqueUser('quota-reminders');
    const a = await createTask(deps, userId, { input: { title: 'two reminders', due: inHours(5), reminders: [{ id: 'r1', before: 'PT1H' }, { id: 'r2', before: 'PT2H' }] } });
    assert.ok(a.ok, JSON.stringify(a));
    const b = await createTask(deps, userId, { input: { title: 'one more', due: inHours(5), reminders: [{ id: 'r3', before: 'PT1H' }] } });
    assert.equal(!b.ok && b.error.code, 'quota_exceeded');
    assert.equal(!b.ok && b.error.details?.[0].field, 'reminders');
    const plain = await createTask(deps, userId, { input: { title: 'no reminder' } });
    assert.ok(plain.ok, 'a task without reminders still fits');
    const moved = await updateTask(deps, userId, { taskId: plain.task.id, changes: { due: inHours(6), reminders: [{ id: 'r4', before: 'PT1H' }] } });
    assert.equal(!moved.ok && moved.error.code, 'quota_exceeded', 'an update that adds a reminder counts');
    const fewer = await updateTask(deps, userId, { taskId: a.task.id, changes: { reminders: [{ id: 'r1', before: 'PT1H' }] } });
    assert.ok(fewer.ok, 'an update that removes reminders is never refused');
    const pending = await pool.query("SELECT count(*) AS n FROM reminder_schedule WHERE user_id = $1 AND state = 'active'", [userId]);
    assert.equal(Number(pending.rows[0].n), 1);
  });
});
