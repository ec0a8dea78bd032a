/**
 * Chaos scenario 7's promise, asserted on the real stack: with PostgreSQL's tables on a file system
 * that is full (loadtest/chaos/smallDisk.ts: a tmpfs tablespace filled to the last byte), a write
 * is refused with 503 `unavailable` naming the full disk, and nothing of it is written (no task,
 * idempotency key, reminder or outbox event); the writes acknowledged before it are whole; once
 * the space is freed the same request, retried with its Idempotency-Key, is taken once, and every
 * event reaches the audit. `npm run chaos`'s scenario 7 fills the disk for 10 s under the mixed
 * load; this test keeps writing until the disk refuses one, so the 503 is seen every time.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../common/db/pool';
import { api, eventually, tokenFor, uniqueUser } from '../../stack/testSupport';
import { fillDisk, freeDisk, prepareSmallDisk, removeSmallDisk } from './smallDisk';

/** Writes tried on the full disk before giving up on seeing it refuse one (each adds about 6 KB of rows). */
const MAX_WRITES = 300;

describe('a full disk under PostgreSQL (chaos scenario 7)', function () {
  this.timeout(240_000);
  let pool: Pool;
  before(async () => {
    pool = createPool('disk-full-test');
    await prepareSmallDisk();
  });
  after(async () => {
    await removeSmallDisk();
    await pool.end();
  });

  it('refuses a write with 503 unavailable naming the full disk, writes none of it, and takes it once when retried after space is freed', async () => {
    const user = uniqueUser('diskfull');
    const token = await tokenFor(user, `${user}@example.com`);
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    // Incompressible descriptions, so every write needs new pages in tasks, outbox and their TOAST.
    const write = (mark: string, key: string) => api('POST', '/v1/tasks', {
      token, headers: { 'idempotency-key': key },
      body: { title: `disk full ${mark}`, description: randomBytes(1500).toString('hex'), reminders: [{ id: 'r', at: inAnHour }] },
    });
    const first = await write(randomUUID(), 'before-the-fill');
    assert.equal(first.status, 201, JSON.stringify(first.body));

    const accepted: string[] = [first.body.id];
    let refused: { mark: string; key: string; status: number; body: { error: { code: string; message: string } }; retryAfter: string | null } | undefined;
    await fillDisk();
    try {
      for (let i = 0; i < MAX_WRITES && !refused; i++) {
        const mark = randomUUID();
        const key = `on-the-full-disk-${i}`;
        const r = await write(mark, key);
        if (r.status === 201) accepted.push(r.body.id);
        else if (r.status === 503) refused = { mark, key, status: r.status, body: r.body, retryAfter: r.headers.get('retry-after') };
        else assert.fail(`a write on the full disk answered ${r.status}, not 201 or 503: ${JSON.stringify(r.body)}`);
      }
    } finally {
      await freeDisk();
    }
    assert.ok(refused, `the full disk refused none of ${MAX_WRITES} writes`);
    assert.equal(refused.body.error.code, 'unavailable', JSON.stringify(refused.body));
    assert.match(refused.body.error.message, /out of disk space: nothing was written/);
    assert.equal(refused.retryAfter, '1');

    // Nothing of the refused write exists; everything acknowledged before it is whole.
    const like = `%${refused.mark}%`;
    const q = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;
    assert.equal(await q('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND title LIKE $2', [user, like]), 0, 'no task row');
    assert.equal(await q('SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1 AND key = $2', [user, refused.key]), 0, 'no idempotency key');
    assert.equal(await q('SELECT count(*)::int AS n FROM outbox WHERE user_id = $1 AND payload::text LIKE $2', [user, like]), 0, 'no outbox event');
    assert.equal(await q('SELECT count(*)::int AS n FROM reminder_schedule WHERE user_id = $1 AND NOT (task_id = ANY($2))', [user, accepted]), 0, 'no reminder but the acknowledged tasks\'');
    for (const id of accepted) {
      assert.equal(await q('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND id = $2', [user, id]), 1, `acknowledged task ${id} is there`);
      assert.equal(await q("SELECT count(*)::int AS n FROM outbox WHERE user_id = $1 AND payload->>'taskId' = $2 AND payload->>'type' = 'task.created'", [user, id]), 1, `with its one task.created`);
      assert.equal(await q("SELECT count(*)::int AS n FROM reminder_schedule WHERE user_id = $1 AND task_id = $2 AND state = 'active'", [user, id]), 1, 'and its reminder');
    }

    // Space freed: the same request, retried with its key, is taken once, and a second retry returns the same task.
    const retried = await eventually(async () => {
      const r = await api('POST', '/v1/tasks', { token, headers: { 'idempotency-key': refused.key }, body: { title: `disk full ${refused.mark}`, description: 'retried', reminders: [{ id: 'r', at: inAnHour }] } });
      return r.status === 503 ? undefined : r;
    }, 30_000, 'a write taken after the space was freed');
    assert.equal(retried.status, 201, JSON.stringify(retried.body));
    const again = await api('POST', '/v1/tasks', { token, headers: { 'idempotency-key': refused.key }, body: { title: `disk full ${refused.mark}`, description: 'retried', reminders: [{ id: 'r', at: inAnHour }] } });
    assert.ok(again.status === 200 || again.status === 201, JSON.stringify(again.body));
    assert.equal(again.body.id, retried.body.id);
    assert.equal(await q('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND title LIKE $2', [user, like]), 1, 'the retried write is one task');

    // Every event of the user, those held while the disk was full among them, reaches the audit.
    await eventually(async () => {
      const r = await pool.query('SELECT count(*)::int AS n FROM outbox o LEFT JOIN audit_log a USING (event_id) WHERE o.user_id = $1 AND a.event_id IS NULL', [user]);
      return r.rows[0].n === 0 ? true : undefined;
    }, 60_000, `every event of ${user} audited`);
  });
});
