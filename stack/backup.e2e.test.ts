/**
 * Backup and restore on the real stack: write, back up, write more, destroy the database, restore.
 * What the backup held comes back (tasks, series, reminders re-registered in Dapr, none for a done
 * task, none doubled), what was written after it is reported lost by the restore's own summary,
 * and events carry on afterwards without reusing a position or duplicating an audit entry.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Pool } from 'pg';
import { config } from '../common/config';
import { USER_ACTOR_TYPE } from '../common/actorApi';
import { createPool } from '../common/db/pool';
import { backup, restore } from './backup';
import { alarmName } from '../actors/userAlarms';
import { asSuperuser, sqlIdent } from './postgresAdmin';
import { readState } from './stackState';
import { api, eventually, sidecarHeaders, tokenFor, uniqueUser } from './testSupport';

describe('backup and restore of the database', function () {
  this.timeout(300_000);
  let pool: Pool;
  /** The dump and its lost-data list: the whole database each time, so not left in the cache. */
  const written: string[] = [];
  before(() => {
    pool = createPool('backup-test');
  });
  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await pool.end();
  });

  const audited = async (user: string, n: number) => eventually(async () => {
    const r = await pool.query('SELECT count(*)::int AS n FROM outbox o LEFT JOIN audit_log a USING (event_id) WHERE o.user_id = $1 AND a.event_id IS NULL', [user]);
    const all = await pool.query('SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1', [user]);
    return r.rows[0].n === 0 && all.rows[0].n >= n ? true : undefined;
  }, 30_000, `${n} events of ${user} audited`);

  const inDapr = async (user: string, name: string) => (await fetch(`http://127.0.0.1:${config.actorsDaprHttpPort}/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(user)}/reminders/${name}`, { headers: sidecarHeaders('actors') })).status;

  it('brings back what the backup held, re-registers its reminders once, reports what came after as lost, and carries on', async () => {
    const user = uniqueUser('backup');
    const token = await tokenFor(user, `${user}@example.com`);
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const create = async (body: object) => {
      const r = await api('POST', '/v1/tasks', { token, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; due: string };
    };
    const plain = await create({ title: 'kept: plain' });
    const reminded = await create({ title: 'kept: reminded', reminders: [{ id: 'r', at: inAnHour }] });
    const done = await create({ title: 'kept: done', reminders: [{ id: 'r', at: inAnHour }] });
    assert.equal((await api('POST', `/v1/tasks/${done.id}/complete`, { token })).status, 200);
    const series = await create({ title: 'kept: daily', due: new Date(Date.now() + 6 * 3600_000).toISOString(), recurrence: { rule: 'FREQ=DAILY' }, reminders: [{ id: 'b', before: 'PT15M' }] });
    await audited(user, 5);

    const b = await backup();
    written.push(b.file, `${b.file}.lost.json`);
    assert.ok(fs.statSync(b.file).size > 0);

    const later = await create({ title: 'lost: written after the backup', reminders: [{ id: 'r', at: inAnHour }] });
    const completed = await api('POST', `/v1/tasks/${series.id}/complete`, { token });
    assert.equal(completed.status, 200);
    const nextAfterBackup = completed.body.next.id as string;
    await audited(user, 8);
    const seqBefore = Number((await pool.query('SELECT max(seq) AS m FROM outbox')).rows[0].m);

    // The database is lost.
    await asSuperuser(readState()!.pgPort, 'postgres', (su) => su.query(`DROP DATABASE ${sqlIdent(config.pgDatabase)} WITH (FORCE)`));

    const s = await restore(b.file);
    assert.equal(s.recoveryPoint, b.recoveryPoint);
    assert.ok(s.lostTasks.includes(`${user}/${later.id}`), `the task written after the backup is reported lost: ${JSON.stringify(s.lostTasks)}`);
    assert.ok(s.lostTasks.includes(`${user}/${nextAfterBackup}`), 'and the next occurrence the later completion created');
    assert.ok((s.lostByType['task.created'] ?? 0) >= 2 && (s.lostByType['task.completed'] ?? 0) >= 1, JSON.stringify(s.lostByType));
    assert.ok(!s.lostTasks.includes(`${user}/${plain.id}`), 'what the backup held is not reported lost');
    assert.ok(fs.existsSync(s.lostFile));

    const tasks = await api('GET', '/v1/tasks?sort=createdAt&order=asc', { token });
    assert.equal(tasks.status, 200);
    assert.deepEqual(tasks.body.items.map((t: { title: string; status: string }) => [t.title, t.status]),
      [['kept: plain', 'open'], ['kept: reminded', 'open'], ['kept: done', 'completed'], ['kept: daily', 'open']]);

    // Every active reminder is covered in Dapr again, by the user's alarm at the earliest; the done task's is not active.
    const rows = await eventually(async () => {
      const r = await pool.query('SELECT name, task_id, state, synced, fire_at FROM reminder_schedule WHERE user_id = $1', [user]);
      return r.rows.every((x) => x.synced) ? r.rows : undefined;
    }, 30_000, 'the reminder schedule re-synced after the restore');
    const active = rows.filter((r) => r.state === 'active');
    assert.deepEqual(active.map((r) => r.task_id).sort(), [reminded.id, series.id].sort());
    const earliest = new Date(Math.min(...active.map((r) => r.fire_at.getTime())));
    assert.equal(await inDapr(user, alarmName(earliest)), 200, `the user's alarm, at the earliest active reminder (${earliest.toISOString()}), is registered in Dapr`);
    assert.ok(!rows.some((r) => r.task_id === done.id && r.state === 'active'));

    // Events carry on: a new write is audited once, at a position after every one Kafka had seen.
    const fresh = await create({ title: 'after the restore' });
    await audited(user, 6);
    const ev = await pool.query("SELECT o.seq, count(a.*)::int AS audits FROM outbox o JOIN audit_log a USING (event_id) WHERE o.user_id = $1 AND o.payload->>'taskId' = $2 GROUP BY o.seq", [user, fresh.id]);
    assert.equal(ev.rows.length, 1);
    assert.equal(ev.rows[0].audits, 1);
    assert.ok(Number(ev.rows[0].seq) > seqBefore, `seq ${ev.rows[0].seq} comes after ${seqBefore}`);
    const created = await pool.query("SELECT task_id, count(*)::int AS n FROM audit_log WHERE user_id = $1 AND type = 'task.created' GROUP BY task_id", [user]);
    assert.ok(created.rows.every((r) => r.n === 1), 'no event audited twice');
  });
});
