/**
 * The outbox pruner against the real PostgreSQL. Each test gets a schema of its own holding a copy
 * of the outbox table (same columns, defaults and indexes), so the rows other tests leave in the
 * shared outbox cannot stop or feed a pass, and the pruner's unqualified `outbox` is that copy.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { config } from '../common/config';
import { createLogger } from '../common/logger';
import { createPool } from '../common/db/pool';
import { OutboxPruner } from './outboxPruner';

const HOUR_MS = 3_600_000;
const log = createLogger('outbox-pruner-test');

/** A row: created and (if given) published that many minutes ago. */
interface Row {
  createdMinAgo: number;
  publishedMinAgo?: number;
}

describe('outbox pruner (real PostgreSQL)', function () {
  this.timeout(30_000);
  let admin: Pool;
  let pool: Pool;
  let schema: string;

  beforeEach(async () => {
    admin = createPool('outbox-pruner-test');
    schema = `prune_test_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.outbox (LIKE public.outbox INCLUDING ALL)`);
    pool = new Pool({
      host: config.pgHost, port: config.pgPort, user: config.pgUser, password: config.pgPassword, database: config.pgDatabase,
      max: 4, options: `-c search_path=${schema}`,
    });
  });

  afterEach(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  /** Inserts the rows in this order (so seq follows it); returns their seqs. */
  async function insert(rows: Row[]): Promise<string[]> {
    const seqs: string[] = [];
    for (const r of rows) {
      const res = await pool.query<{ seq: string }>(
        `INSERT INTO outbox (event_id, user_id, topic, payload, created_at, published_at)
         VALUES ($1, 'prune-user', 'task-events', '{}', now() - $2 * interval '1 minute',
                 CASE WHEN $3::int IS NULL THEN NULL ELSE now() - $3 * interval '1 minute' END)
         RETURNING seq`,
        [randomUUID(), r.createdMinAgo, r.publishedMinAgo ?? null],
      );
      seqs.push(res.rows[0].seq);
    }
    return seqs;
  }

  async function remaining(): Promise<string[]> {
    return (await pool.query<{ seq: string }>('SELECT seq FROM outbox ORDER BY seq')).rows.map((r) => r.seq);
  }

  it('deletes the rows published before the retention and keeps the unpublished and the young ones', async () => {
    const [, stuck, , young, unpublishedYoung] = await insert([
      { createdMinAgo: 180, publishedMinAgo: 179 },
      { createdMinAgo: 170 }, // never published (say, Kafka refused it): the relay's, never pruned
      { createdMinAgo: 90, publishedMinAgo: 89 },
      { createdMinAgo: 30, publishedMinAgo: 29 },
      { createdMinAgo: 1 },
    ]);
    const deleted = await new OutboxPruner(pool, log, HOUR_MS).pruneOnce();
    assert.equal(deleted, 2);
    assert.deepEqual(await remaining(), [stuck, young, unpublishedYoung]);
  });

  it('a row created before the retention but published within it is kept until its publication is as old', async () => {
    const [late] = await insert([{ createdMinAgo: 120, publishedMinAgo: 10 }]);
    assert.equal(await new OutboxPruner(pool, log, HOUR_MS).pruneOnce(), 0);
    assert.deepEqual(await remaining(), [late]);
    assert.equal(await new OutboxPruner(pool, log, 5 * 60_000).pruneOnce(), 1);
    assert.deepEqual(await remaining(), []);
  });

  it('walks past full batches of old rows to the end of what has expired, and stops at the batch holding the first young row', async () => {
    // Batches of 3: rows 0–2, 3–5, 6–8 are all old; 9–11 ends with the young row, so the pass stops there.
    const old = Array.from({ length: 11 }, () => ({ createdMinAgo: 120, publishedMinAgo: 119 }));
    const seqs = await insert([...old, { createdMinAgo: 5, publishedMinAgo: 4 }, { createdMinAgo: 120, publishedMinAgo: 119 }]);
    const deleted = await new OutboxPruner(pool, log, HOUR_MS, 3).pruneOnce();
    // The last row is old but comes after a young one in seq order, in a batch the pass never read
    // (seq follows time, so in a real outbox the rows past a young one are young too).
    assert.equal(deleted, 11);
    assert.deepEqual(await remaining(), seqs.slice(11));
  });

  it('two hosts pruning at once delete each expired row once, without errors', async () => {
    await insert(Array.from({ length: 40 }, () => ({ createdMinAgo: 120, publishedMinAgo: 119 })));
    const counts = await Promise.all([
      new OutboxPruner(pool, log, HOUR_MS, 4).pruneOnce(),
      new OutboxPruner(pool, log, HOUR_MS, 4).pruneOnce(),
    ]);
    // The one that finds the lock taken skips its pass or stops early; what is left is the next pass's.
    const again = await new OutboxPruner(pool, log, HOUR_MS, 4).pruneOnce();
    assert.equal(counts[0] + counts[1] + again, 40);
    assert.deepEqual(await remaining(), []);
  });
});
