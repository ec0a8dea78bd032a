/**
 * Task reminders as Dapr actor reminders, on the real stack (daprd, scheduler, placement):
 * they fire at their time and never early, and completing, deleting or moving a task cancels or
 * reschedules exactly its reminders.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { USER_ACTOR_TYPE } from '../common/actorApi';
import { api, eventually, sidecarHeaders, tokenFor, uniqueUser } from '../stack/testSupport';
import { alarmName } from './userAlarms';
import { isAlive } from '../stack/processes';
import { up } from '../stack/stack';
import { readState } from '../stack/stackState';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('reminders (Dapr actor reminders)', function () {
  this.timeout(60_000);
  let pool: Pool;
  before(() => {
    pool = createPool('reminders-test');
  });
  after(() => pool.end());

  const dueEvents = async (userId: string) => (await pool.query(
    "SELECT payload FROM outbox WHERE user_id = $1 AND payload->>'type' = 'reminder.due' ORDER BY seq", [userId],
  )).rows.map((r) => r.payload);

  const inDapr = (userId: string, name: string) => fetch(`http://127.0.0.1:${config.actorsDaprHttpPort}/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(userId)}/reminders/${name}`, { headers: sidecarHeaders('actors') });

  /** The user's reminder.due events once there are at least `n`, waiting up to `ms`. */
  const untilFired = (userId: string, n: number, ms: number, what: string) => eventually(async () => {
    const e = await dueEvents(userId);
    return e.length >= n ? e : undefined;
  }, ms, what);

  async function user(prefix: string) {
    const id = uniqueUser(prefix);
    return { id, token: await tokenFor(id, `${id}@example.com`) };
  }

  it('a reminder fires once, at its time and never early, as reminder.due with the user\'s address', async () => {
    const u = await user('fire');
    const at = inSeconds(3);
    const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Call the bank', due: inSeconds(63), reminders: [{ id: 'r-at', at }, { id: 'r-before', before: 'PT1M' }] } });
    assert.equal(t.status, 201);
    const events = await untilFired(u.id, 2, 20_000, 'both reminders to fire');
    await sleep(1500);
    assert.equal((await dueEvents(u.id)).length, 2, 'each reminder fires once');
    for (const e of events) {
      assert.equal(e.taskId, t.body.id);
      assert.equal(e.data.email, `${u.id}@example.com`);
      assert.equal(e.data.task.title, 'Call the bank');
      const late = Date.parse(e.data.firedAt) - Date.parse(e.data.fireAt);
      assert.ok(late >= 0, `never early (fired ${late} ms after its time)`);
      assert.ok(late < 5000, `fired ${late} ms late`);
    }
    assert.deepEqual(events.map((e) => e.data.reminderId).sort(), ['r-at', 'r-before']);
  });

  it('Dapr is asked to trigger a reminder the lead before its time, and the actor holds the trigger until the instant', async () => {
    assert.ok(config.reminderLeadMs > 0, 'the stack runs with a lead (REMINDER_LEAD_MS)');
    const u = await user('lead');
    const at = inSeconds(config.reminderLeadMs / 1000 + 4);
    const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Held to its instant', reminders: [{ id: 'r', at }] } });
    assert.equal(t.status, 201);
    const registered = await eventually(async () => {
      const res = await inDapr(u.id, alarmName(new Date(at)));
      return res.status === 200 ? ((await res.json()) as { dueTime: string }) : undefined;
    }, 10_000, 'the user\'s alarm registered in Dapr');
    assert.equal(Date.parse(registered.dueTime), Date.parse(at) - config.reminderLeadMs, 'Dapr triggers it the lead before its time');
    const [e] = await untilFired(u.id, 1, 20_000, 'the reminder to fire');
    const late = Date.parse(e.data.firedAt) - Date.parse(at);
    assert.ok(late >= 0, `held until its time, not fired when triggered (fired ${-late} ms early)`);
  });

  it('a user has one alarm in Dapr, at the earliest reminder: a later one is not registered until the alarm before it has fired, an earlier one moves it, and a cancelled earliest one leaves the rest firing at their own times', async () => {
    const u = await user('alarm');
    const lead = config.reminderLeadMs / 1000;
    const at = { early: inSeconds(lead + 5), mid: inSeconds(lead + 8), late: inSeconds(lead + 11) };
    const create = async (title: string, fireAt: string) => {
      const t = await api('POST', '/v1/tasks', { token: u.token, body: { title, reminders: [{ id: 'r', at: fireAt }] } });
      assert.equal(t.status, 201, JSON.stringify(t.body));
      return t.body.id as string;
    };
    const registered = async (fireAt: string) => (await inDapr(u.id, alarmName(new Date(fireAt)))).status === 200;
    const synced = async (n: number) => eventually(async () => {
      const r = await pool.query("SELECT 1 FROM reminder_schedule WHERE user_id = $1 AND state = 'active' AND synced", [u.id]);
      return r.rowCount === n ? true : undefined;
    }, 10_000, `${n} rows synced`);

    const mid = await create('mid', at.mid);
    await eventually(async () => ((await registered(at.mid)) ? true : undefined), 10_000, 'the first reminder registers the alarm');
    const late = await create('late', at.late);
    await synced(2);
    assert.equal(await registered(at.late), false, 'a reminder after the alarm is covered by it, not registered');
    const early = await create('early', at.early);
    await eventually(async () => ((await registered(at.early)) ? true : undefined), 10_000, 'a reminder before the alarm moves it earlier');
    await synced(3);
    const gone = await api('DELETE', `/v1/tasks/${early}`, { token: u.token });
    assert.equal(gone.status, 204);

    const events = await untilFired(u.id, 2, 30_000, 'the two reminders left to fire');
    await sleep(1500);
    assert.deepEqual((await dueEvents(u.id)).map((e) => e.taskId), [mid, late], 'each once, in order; the deleted one not at all');
    for (const e of events) {
      const lateMs = Date.parse(e.data.firedAt) - Date.parse(e.data.fireAt);
      assert.ok(lateMs >= 0, `never early (fired ${-lateMs} ms before its time)`);
      assert.ok(lateMs < 2000, `each at its own time, not at the reconciler's (fired ${lateMs} ms late)`);
    }
    assert.equal(events[1].data.fireAt, new Date(at.late).toISOString());
  });

  it('many reminders of one user due together fire once each, in one turn or several, none before its time', async () => {
    const u = await user('together');
    // A lead of a few seconds: all six must be registered before the first is due, on a busy machine too.
    const soon = inSeconds(6);
    const later = inSeconds(9);
    const ids = await Promise.all([...Array(5).fill(soon), later].map(async (at, i) => {
      const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: `together ${i}`, reminders: [{ id: 'r', at }] } });
      assert.equal(t.status, 201, JSON.stringify(t.body));
      return t.body.id as string;
    }));
    const events = await untilFired(u.id, 6, 30_000, 'all six reminders to fire');
    await sleep(1500);
    assert.equal((await dueEvents(u.id)).length, 6, 'each fires once');
    assert.deepEqual(events.map((e) => e.taskId).sort(), [...ids].sort());
    for (const e of events) {
      const late = Date.parse(e.data.firedAt) - Date.parse(e.data.fireAt);
      assert.ok(late >= 0, `never early (task ${e.taskId} fired ${-late} ms before its time)`);
    }
    const last = events.find((e) => e.taskId === ids[5]);
    assert.equal(last.data.fireAt, new Date(later).toISOString(), 'the later one at its own time, not with the others');
  });

  it('completing or deleting a task before its reminder cancels it: nothing fires', async () => {
    const u = await user('cancel');
    const at = inSeconds(config.reminderLeadMs / 1000 + 5);
    const a = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'done early', reminders: [{ at }] } });
    const b = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'deleted', reminders: [{ at }] } });
    await eventually(async () => ((await inDapr(u.id, alarmName(new Date(at)))).status === 200 ? true : undefined), 5_000, 'the user\'s alarm registered');
    await api('POST', `/v1/tasks/${a.body.id}/complete`, { token: u.token });
    await api('DELETE', `/v1/tasks/${b.body.id}`, { token: u.token });
    await sleep(Math.max(0, Date.parse(at) + 2000 - Date.now()));
    assert.deepEqual(await dueEvents(u.id), []);
    const rows = await pool.query("SELECT state FROM reminder_schedule WHERE user_id = $1 AND state = 'active'", [u.id]);
    assert.equal(rows.rowCount, 0, 'no active reminder left');
  });

  it('moving the due time reschedules the reminder: it fires at the new time only', async () => {
    const u = await user('move');
    const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'moved', due: inSeconds(60), reminders: [{ before: 'PT57S' }] } });
    const moved = await api('PATCH', `/v1/tasks/${t.body.id}`, { token: u.token, body: { due: inSeconds(3600) } });
    assert.equal(moved.status, 200);
    await sleep(6000);
    assert.deepEqual(await dueEvents(u.id), [], 'the old time passed without a reminder');
    const rows = await pool.query("SELECT fire_at, synced FROM reminder_schedule WHERE user_id = $1 AND state = 'active'", [u.id]);
    assert.equal(rows.rowCount, 1);
    assert.ok(rows.rows[0].fire_at.getTime() > Date.now() + 3000_000, 'scheduled for the new due time');
    assert.equal(rows.rows[0].synced, true, 'and registered in Dapr');
  });

  it("completing a recurring task schedules the next occurrence's reminders", async () => {
    const u = await user('series');
    const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'weekly review', due: inSeconds(3600), recurrence: { rule: 'FREQ=WEEKLY' }, reminders: [{ id: 'r', before: 'PT15M' }] } });
    const done = await api('POST', `/v1/tasks/${t.body.id}/complete`, { token: u.token });
    const next = done.body.next;
    assert.ok(next);
    const rows = await eventually(async () => {
      const r = await pool.query('SELECT task_id, occurrence, fire_at, state, synced FROM reminder_schedule WHERE user_id = $1 ORDER BY occurrence', [u.id]);
      return r.rows.every((x) => x.synced) ? r.rows : undefined;
    }, 10_000, 'the schedule to be synced with Dapr');
    const active = rows.filter((r) => r.state === 'active');
    assert.equal(active.length, 1);
    assert.equal(active[0].task_id, next.id);
    assert.equal(active[0].occurrence, 2);
    assert.equal(active[0].fire_at.getTime(), Date.parse(next.due) - 15 * 60_000);
  });

  it('a reminder that comes due while the actor host is killed fires once, when the host is back', async function () {
    this.timeout(120_000);
    const u = await user('restart');
    const t = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'survive a crash', reminders: [{ id: 'r', at: inSeconds(4) }] } });
    assert.equal(t.status, 201);
    await eventually(async () => ((await pool.query('SELECT 1 FROM reminder_schedule WHERE user_id = $1 AND synced', [u.id])).rowCount ? true : undefined), 10_000, 'the reminder registered');
    const actors = readState()?.processes.find((p) => p.name === 'actors');
    assert.ok(actors && isAlive(actors));
    process.kill(actors.pid, 'SIGKILL');
    await sleep(8000); // its time passes while the host is down
    assert.equal(isAlive(actors), false);
    await up(); // restarts what is not running, as `npm run stack -- up` does
    const events = await untilFired(u.id, 1, 60_000, 'the reminder to fire after the restart');
    await sleep(7000); // long enough for Dapr's delivery and the reconciler to both have had a go
    assert.equal((await dueEvents(u.id)).length, 1, 'exactly once');
    assert.equal(events[0].data.reminderId, 'r');
  });

  // Issue 4's acceptance test. The 1 s bound is the issue's own criterion, not a speed check of
  // ours: the lateness is printed with every run, and measured under load by `npm run bench -- --reminders`.
  it('a reminder due in a few seconds arrives as email within 1 s of its time, and never early; completed and deleted tasks send none', async () => {
    const u = await user('mail');
    const fireAt = inSeconds(3);
    const sent = await api('POST', '/v1/tasks', { token: u.token, headers: { 'x-timezone': 'Europe/Berlin' }, body: { title: 'Pay the rent', due: inSeconds(3603), reminders: [{ at: fireAt }] } });
    const done = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Finished already', reminders: [{ at: fireAt }] } });
    const gone = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Deleted already', reminders: [{ at: fireAt }] } });
    await api('POST', `/v1/tasks/${done.body.id}/complete`, { token: u.token });
    await api('DELETE', `/v1/tasks/${gone.body.id}`, { token: u.token });
    const inbox = async () => (await (await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(`${u.id}@example.com`)}`)).json()) as Array<{ subject: string; text: string; receivedAt: string }>;
    const mails = await eventually(async () => {
      const m = await inbox();
      return m.length ? m : undefined;
    }, 20_000, 'the reminder email');
    await sleep(3000);
    const all = await inbox();
    assert.equal(all.length, 1, `one email only: ${all.map((m) => m.subject).join(', ')}`);
    assert.match(all[0].subject, /Pay the rent/);
    assert.match(all[0].text, /Europe\/Berlin/, 'the due time is written in the user\'s zone');
    assert.match(all[0].text, new RegExp(sent.body.id));
    const [due] = await dueEvents(u.id);
    const fired = Date.parse(due.data.firedAt) - Date.parse(fireAt);
    const late = Date.parse(mails[0].receivedAt) - Date.parse(fireAt);
    process.stdout.write(`      lateness: fired ${fired} ms, email at the SMTP sink ${late} ms after its time\n`);
    assert.ok(fired >= 0, `the actor fired ${-fired} ms early`);
    assert.ok(late >= 0, `the email arrived ${-late} ms early`);
    assert.ok(late <= 1000, `the email arrived ${late} ms after its time; issue 4 accepts at most 1 s (fired ${fired} ms late)`);
  });
});

