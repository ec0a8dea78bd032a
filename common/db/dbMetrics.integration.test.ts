/** The pool and statement metrics of common/db/pool.ts against the stack's real PostgreSQL, read from this process's registry. */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { registry } from '../metrics';
import { createPool, inTransaction } from './pool';

/** The value of the sample `name` whose labels include all of `labels` (other labels, like service, may be there too); 0 if none. */
async function sample(name: string, labels: Record<string, string>): Promise<number> {
  for (const line of (await registry.metrics()).split('\n')) {
    const m = /^([a-z_:]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m?.[1] === name && Object.entries(labels).every(([k, v]) => m[2].split(',').includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return 0;
}

const POOL = 'db-metrics-test';
const count = (operation: string, outcome: string) => sample('db_query_duration_seconds_count', { pool: POOL, operation, outcome });

describe('PostgreSQL metrics of a pool (db_pool_*, db_query_duration_seconds)', function () {
  this.timeout(30_000);
  let pool: Pool;
  before(() => {
    pool = createPool(POOL);
  });
  after(() => pool.end());

  it('times every statement by kind and outcome: pool.query, transactions, parameters, errors', async () => {
    const before = { select: await count('select', 'ok'), begin: await count('begin', 'ok'), commit: await count('commit', 'ok'), error: await count('other', 'error') };
    await pool.query('SELECT 1');
    await inTransaction(pool, async (tx) => {
      await tx.query('SELECT $1::int AS n', [2]);
      await tx.query({ text: 'SELECT 3' });
    });
    await assert.rejects(pool.query('SELEC 1'));
    assert.equal(await count('select', 'ok'), before.select + 3);
    assert.equal(await count('begin', 'ok'), before.begin + 1);
    assert.equal(await count('commit', 'ok'), before.commit + 1);
    assert.equal(await count('other', 'error'), before.error + 1);
  });

  it('reports the pool\'s connections in use while one is checked out, and its maximum', async () => {
    const client = await pool.connect();
    try {
      assert.ok(await sample('db_pool_connections', { pool: POOL, state: 'in_use' }) >= 1);
      assert.equal(await sample('db_pool_max_connections', { pool: POOL }), pool.options.max);
    } finally {
      client.release();
    }
    assert.equal(await sample('db_pool_connections', { pool: POOL, state: 'in_use' }), 0);
  });
});
