/**
 * A user's own data on the real stack (gateway, actor host, Dapr, Kafka, subscribers, PostgreSQL,
 * SMTP sink): GET /v1/me/export gives back everything held about the caller, and DELETE /v1/me
 * erases it everywhere it is kept, says what it erased, and the erased user's reminders never fire.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../common/db/pool';
import { api, eventually, sinkInbox, tokenFor, uniqueUser } from '../stack/testSupport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe("a user's own data: export and erasure", function () {
  this.timeout(90_000);
  let pool: Pool;
  before(() => {
    pool = createPool('user-data-test');
  });
  after(() => pool.end());

  async function user(prefix: string) {
    const id = uniqueUser(prefix);
    const email = `${id}@example.com`;
    return { id, email, token: await tokenFor(id, email) };
  }

  /** Rows held about the user in every table that holds any. */
  async function rowsOf(userId: string): Promise<Record<string, number>> {
    const n = async (sql: string) => Number((await pool.query<{ n: string }>(sql, [userId])).rows[0].n);
    return {
      tasks: await n('SELECT count(*) AS n FROM tasks WHERE user_id = $1'),
      activeReminders: await n("SELECT count(*) AS n FROM reminder_schedule WHERE user_id = $1 AND state = 'active'"),
      idempotencyKeys: await n('SELECT count(*) AS n FROM idempotency_keys WHERE user_id = $1'),
      users: await n('SELECT count(*) AS n FROM users WHERE id = $1'),
      auditOtherThanErasure: await n("SELECT count(*) AS n FROM audit_log WHERE user_id = $1 AND type <> 'user.erased'"),
      notifications: await n('SELECT count(*) AS n FROM notifications WHERE user_id = $1'),
      publishedOutbox: await n("SELECT count(*) AS n FROM outbox WHERE user_id = $1 AND published_at IS NOT NULL AND payload->>'type' <> 'user.erased'"),
    };
  }

  it('the export holds the profile, every task, every pending reminder and the audit trail, and is audited as user.exported', async () => {
    const u = await user('export');
    const open = await api('POST', '/v1/tasks', { token: u.token, headers: { 'Idempotency-Key': `k-${u.id}` }, body: { title: 'Renew the passport', due: inSeconds(3 * 86400), reminders: [{ id: 'r1', before: 'PT1H' }] } });
    assert.equal(open.status, 201);
    const done = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Water the plants' } });
    assert.equal((await api('POST', `/v1/tasks/${done.body.id}/complete`, { token: u.token })).status, 200);
    await eventually(async () => ((await api('GET', '/v1/audit', { token: u.token })).body.items.length >= 3 ? true : undefined), 20_000, 'the audit to record the three events');

    const res = await api('GET', '/v1/me/export', { token: u.token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
    assert.equal(res.body.userId, u.id);
    assert.deepEqual(res.body.profile, { email: u.email, timezone: null });
    assert.deepEqual(res.body.tasks.map((t: { title: string; status: string }) => [t.title, t.status]).sort(), [['Renew the passport', 'open'], ['Water the plants', 'completed']]);
    assert.equal(res.body.reminders.length, 1);
    assert.equal(res.body.reminders[0].taskId, open.body.id);
    assert.equal(res.body.reminders[0].fireAt, new Date(Date.parse(open.body.due) - 3600_000).toISOString());
    assert.deepEqual(res.body.audit.map((e: { type: string }) => e.type).filter((t: string) => t.startsWith('task.')).sort(), ['task.completed', 'task.created', 'task.created']);
    assert.equal(res.body.auditComplete, true);

    const exported = await eventually(async () => (await api('GET', '/v1/audit', { token: u.token })).body.items.find((e: { type: string }) => e.type === 'user.exported'), 20_000, 'user.exported in the audit');
    assert.deepEqual(exported.data, { tasks: 2, reminders: 1 });
    assert.equal(exported.taskId, '*');
  });

  it('the erasure removes the user from every table, says what it erased, and a reminder set before it never fires', async () => {
    const u = await user('erase');
    const soon = await api('POST', '/v1/tasks', { token: u.token, headers: { 'Idempotency-Key': `k-${u.id}` }, body: { title: 'Call the dentist', reminders: [{ id: 'soon', at: inSeconds(15) }] } });
    assert.equal(soon.status, 201);
    const series = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Send the report', due: inSeconds(2 * 86400), recurrence: { rule: 'FREQ=WEEKLY' }, reminders: [{ id: 'before', before: 'PT30M' }] } });
    assert.equal(series.status, 201, JSON.stringify(series.body));
    const past = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'Already reminded', reminders: [{ id: 'now', at: inSeconds(1) }] } });
    assert.equal(past.status, 201);
    // The email of the reminder that fired before the erasure: a notification row to erase.
    await eventually(async () => ((await sinkInbox(u.email)).length >= 1 ? true : undefined), 30_000, 'the first reminder email');
    await eventually(async () => ((await rowsOf(u.id)).auditOtherThanErasure >= 5 ? true : undefined), 20_000, 'the audit to record the events');
    const before = await rowsOf(u.id);
    assert.equal(before.tasks, 3);
    assert.equal(before.activeReminders, 2);

    const res = await api('DELETE', '/v1/me', { token: u.token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.complete, true);
    assert.equal(res.body.userId, u.id);
    const e = res.body.erased;
    assert.equal(e.tasks, 3);
    assert.equal(e.reminders, 2, 'the two pending reminders (the fired one is not pending)');
    assert.equal(e.idempotencyKeys, 1);
    assert.equal(e.actorState, true);
    assert.ok(e.auditRows >= before.auditOtherThanErasure, JSON.stringify(e));
    assert.equal(e.notifications, 1);

    const after = await rowsOf(u.id);
    assert.deepEqual(after, { tasks: 0, activeReminders: 0, idempotencyKeys: 0, users: 0, auditOtherThanErasure: 0, notifications: 0, publishedOutbox: 0 });
    // What is left: the record that the erasure happened, with counts only.
    const trail = (await api('GET', '/v1/audit', { token: u.token })).body.items;
    assert.deepEqual(trail.map((x: { type: string }) => x.type), ['user.erased']);
    assert.equal(JSON.stringify(trail[0]).includes('dentist'), false);
    assert.deepEqual((await api('GET', '/v1/tasks', { token: u.token })).body.items, []);

    // The reminder set for 15 s after its create: Dapr's reminder was unregistered, nothing fires.
    await sleep(Math.max(0, Date.parse(soon.body.reminders[0].at) - Date.now()) + 8000);
    const due = await pool.query("SELECT count(*) AS n FROM outbox WHERE user_id = $1 AND payload->>'type' = 'reminder.due' AND created_at > $2", [u.id, res.body.erasedAt]);
    assert.equal(Number(due.rows[0].n), 0, 'no reminder.due after the erasure');
    assert.equal((await sinkInbox(u.email)).length, 1, 'no email after the erasure');
    assert.deepEqual((await rowsOf(u.id)).notifications, 0);
  });

  it("one user's erasure touches nobody else's data, and the export holds only the caller's", async () => {
    const victim = await user('victim');
    const attacker = await user('attacker');
    const t = await api('POST', '/v1/tasks', { token: victim.token, body: { title: 'the victim\'s task', due: inSeconds(86400), reminders: [{ id: 'r', before: 'PT1H' }] } });
    assert.equal(t.status, 201);
    await eventually(async () => ((await rowsOf(victim.id)).auditOtherThanErasure >= 1 ? true : undefined), 20_000, "the victim's audit row");
    const before = await rowsOf(victim.id);
    assert.equal((await api('DELETE', '/v1/me', { token: attacker.token })).status, 200);
    assert.deepEqual(await rowsOf(victim.id), before);
    const exp = await api('GET', '/v1/me/export', { token: attacker.token });
    assert.equal(JSON.stringify(exp.body).includes(victim.id), false);
    assert.equal((await api('DELETE', '/v1/me')).status, 401, 'no token, no erasure');
    assert.equal((await api('GET', '/v1/me/export')).status, 401);
  });

  it('a user may come back after erasing: the API answers as for a new user', async () => {
    const u = await user('again');
    assert.equal((await api('POST', '/v1/tasks', { token: u.token, body: { title: 'first life' } })).status, 201);
    assert.equal((await api('DELETE', '/v1/me', { token: u.token })).status, 200);
    const again = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'second life' } });
    assert.equal(again.status, 201);
    const list = await api('GET', '/v1/tasks', { token: u.token });
    assert.deepEqual(list.body.items.map((t: { title: string }) => t.title), ['second life']);
    // The new task's events are after the erasure: recorded, not skipped.
    await eventually(async () => ((await api('GET', '/v1/audit', { token: u.token })).body.items.some((x: { type: string; taskId: string }) => x.type === 'task.created' && x.taskId === again.body.id) ? true : undefined), 20_000, 'the new task in the audit');
  });
});
