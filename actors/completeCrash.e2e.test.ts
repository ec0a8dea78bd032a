/**
 * A crash between the completion's commit and its answer, on the real stack: the actor host is
 * restarted with the test-only fault TODO_TEST_FAULT=crash-after-complete-commit (actors/testFaults.ts),
 * so it exits right after the transaction that completes a recurring task commits. The client sees
 * the call fail and retries it once the host is back without the fault: there must be exactly one
 * next occurrence, with its reminder scheduled once.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { config } from '../common/config';
import { USER_ACTOR_TYPE } from '../common/actorApi';
import { createPool } from '../common/db/pool';
import { isAlive, stopProcess } from '../stack/processes';
import { up } from '../stack/stack';
import { readState, type ProcessRecord } from '../stack/stackState';
import { api, eventually, sidecarHeaders, tokenFor, uniqueUser } from '../stack/testSupport';
import { reminderName } from './reminderSchedule';
import { alarmName } from './userAlarms';
import type { TestFault } from './testFaults';

const FAULT: TestFault = 'crash-after-complete-commit';

const actorHost = (): ProcessRecord | undefined => readState()?.processes.find((x) => x.name === 'actors');

/** (Re)starts the actor host (and, as `up` does, its sidecar) with TODO_TEST_FAULT set to `fault` or unset. */
async function restartActorHost(fault: TestFault | undefined): Promise<ProcessRecord> {
  const running = actorHost();
  if (running && isAlive(running)) await stopProcess(running, 'SIGTERM', 30_000);
  if (fault) process.env.TODO_TEST_FAULT = fault;
  else delete process.env.TODO_TEST_FAULT;
  try {
    await up(); // the services inherit this process's environment
  } finally {
    delete process.env.TODO_TEST_FAULT; // never leak the fault into anything this test run starts later
  }
  const started = actorHost();
  assert.ok(started && isAlive(started), 'the actor host runs');
  return started;
}

describe('a crash between the completion\'s commit and its answer', function () {
  this.timeout(240_000);
  let pool: Pool;
  let armed: ProcessRecord | undefined;
  before(() => {
    pool = createPool('complete-crash-test');
  });
  after(async () => {
    // Whatever happened, leave an actor host without the fault behind.
    if (armed) await restartActorHost(undefined);
    await pool.end();
  });

  it('the retried completion of a recurring task finds the committed one: exactly one next occurrence, its reminder scheduled once', async () => {
    const user = uniqueUser('complete-crash');
    const token = await tokenFor(user, `${user}@example.com`);
    const due = new Date(Date.now() + 3 * 3600_000).toISOString();
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'water the plants', due, recurrence: { rule: 'FREQ=DAILY' }, reminders: [{ id: 'r', before: 'PT15M' }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const first = created.body;

    armed = await restartActorHost(FAULT);
    const failed = await api('POST', `/v1/tasks/${first.id}/complete`, { token });
    assert.equal(failed.status, 503, `the client sees the call fail: ${JSON.stringify(failed.body)}`);
    await eventually(async () => (isAlive(armed!) ? undefined : true), 30_000, 'the actor host to have crashed');
    // The crash came after the commit: the completion and the next occurrence are stored, unanswered.
    const stored = await pool.query('SELECT id, occurrence, status FROM tasks WHERE user_id = $1 ORDER BY occurrence', [user]);
    assert.deepEqual(stored.rows.map((r) => [r.occurrence, r.status]), [[1, 'completed'], [2, 'open']], 'the completion committed before the crash');

    await restartActorHost(undefined);
    armed = undefined;
    const retried = await api('POST', `/v1/tasks/${first.id}/complete`, { token });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.task.status, 'completed');
    const next = retried.body.next;
    assert.ok(next, 'the retry answers with the next occurrence');
    assert.equal(next.id, stored.rows[1].id, 'the one the crashed call created');
    assert.equal(next.occurrence, 2);

    // Through the API: one open task, the next occurrence; the series has exactly occurrences 1 and 2.
    const open = await api('GET', '/v1/tasks?status=open', { token });
    assert.deepEqual(open.body.items.map((t: { id: string }) => t.id), [next.id]);
    const all = await api('GET', '/v1/tasks?sort=createdAt&order=asc', { token });
    assert.deepEqual(all.body.items.map((t: { seriesId: string; occurrence: number }) => [t.seriesId, t.occurrence]), [[first.id, 1], [first.id, 2]]);
    const again = await api('GET', `/v1/tasks/${next.id}`, { token });
    assert.deepEqual(again.body.reminders, [{ id: 'r', before: 'PT15M' }]);

    // Its reminder: one schedule row, covered by the user's alarm in Dapr (after the restart, by the reconciler or the retry).
    const fireAt = Date.parse(next.due) - 15 * 60_000;
    const rows = await eventually(async () => {
      const r = await pool.query('SELECT name, task_id, occurrence, fire_at, state, synced FROM reminder_schedule WHERE user_id = $1', [user]);
      return r.rows.length && r.rows.every((x) => x.synced) ? r.rows : undefined;
    }, 30_000, 'the reminder schedule synced with Dapr after the restart');
    const active = rows.filter((r) => r.state === 'active');
    assert.equal(active.length, 1, `one active reminder: ${JSON.stringify(rows)}`);
    assert.deepEqual([active[0].task_id, active[0].occurrence, active[0].fire_at.getTime()], [next.id, 2, fireAt]);
    assert.equal(active[0].name, reminderName(next.id, 2, 'r'));
    const inDapr = await fetch(`http://127.0.0.1:${config.actorsDaprHttpPort}/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(user)}/reminders/${alarmName(new Date(fireAt))}`, { headers: sidecarHeaders('actors') });
    assert.equal(inDapr.status, 200, `Dapr has the user's alarm at the reminder's time: ${await inDapr.clone().text()}`);
    assert.equal(Date.parse(((await inDapr.json()) as { dueTime: string }).dueTime), fireAt - config.reminderLeadMs, 'registered the lead before its time');

    // And the events: one completion, one creation of the next occurrence (published by the relay after the restart).
    const events = await pool.query("SELECT payload->>'type' AS type, payload->>'taskId' AS task FROM outbox WHERE user_id = $1 AND payload->>'type' IN ('task.completed', 'task.created') ORDER BY seq", [user]);
    assert.deepEqual(events.rows.map((r) => [r.type, r.task]), [['task.created', first.id], ['task.completed', first.id], ['task.created', next.id]]);
  });
});
