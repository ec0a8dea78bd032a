/**
 * GET /v1/tasks?q= on the real PostgreSQL: served by the trigram index (migration 010), not by
 * reading every task of the user, and still matching inside the title, the description or a tag.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../common/db/pool';
import { parseListQuery } from '../common/tasks/listQuery';
import { uniqueUser } from '../stack/testSupport';
import { listTasks, listTasksStatement } from './taskStore';

describe('task search by q (real PostgreSQL, pg_trgm)', function () {
  this.timeout(60_000);
  let pool: Pool;
  const userId = uniqueUser('search');
  const NOW = new Date();

  before(async () => {
    pool = createPool('task-search-integration-test');
    // A user at the default quota of open tasks (MAX_OPEN_TASKS_PER_USER, 10,000): where an index
    // matters. Three match "zebra", in a title, a description and a tag.
    await pool.query(
      `INSERT INTO tasks (user_id, id, title, description, status, priority, tags, due, timezone, created_at, updated_at, version)
       SELECT $1, 'search-' || i,
              CASE i WHEN 1234 THEN 'Feed the zebra' WHEN 2345 THEN 'Walk' WHEN 42 THEN 'Errand' ELSE 'routine chore number ' || i END,
              CASE i WHEN 2345 THEN 'bring the zebrafish food' ELSE 'nothing to see ' || (i % 17) END,
              'open', 'none',
              CASE i WHEN 1234 THEN ARRAY['zoo'] WHEN 42 THEN ARRAY['Zebra-crossing'] ELSE ARRAY['t' || (i % 5)] END,
              $2::timestamptz + i * interval '1 minute', 'UTC', $2::timestamptz, $2::timestamptz, 1
         FROM generate_series(1, 10000) AS i`,
      [userId, NOW.toISOString()],
    );
    await pool.query('ANALYZE tasks');
  });
  after(async () => {
    await pool.query('DELETE FROM tasks WHERE user_id = $1', [userId]);
    await pool?.end();
  });

  const query = (raw: Record<string, string>) => {
    const parsed = parseListQuery(raw);
    assert.ok(parsed.ok);
    return parsed.query;
  };

  it('a search for a rare word among many tasks reads the trigram index tasks_search_trgm, whatever the sort', async () => {
    for (const sort of ['due', 'createdAt', 'title']) {
      const st = listTasksStatement(userId, query({ q: 'zebra', sort }), NOW);
      const plan = JSON.stringify((await pool.query(`EXPLAIN (FORMAT JSON) ${st.text}`, st.values)).rows[0]);
      assert.match(plan, /tasks_search_trgm/, `sort=${sort}: ${plan.slice(0, 1500)}`);
    }
  });

  it('the search still finds the word in a title, a description or a tag, case-insensitively, and nothing else', async () => {
    const page = await listTasks(pool, userId, query({ q: 'ZEBRA', limit: '100' }), NOW);
    assert.deepEqual(page.items.map((t) => t.title).sort(), ['Errand', 'Feed the zebra', 'Walk']);
    const none = await listTasks(pool, userId, query({ q: 'giraffe' }), NOW);
    assert.deepEqual(none.items, []);
  });

  it('q with a control character is refused, naming q (no match may span two fields)', () => {
    const parsed = parseListQuery({ q: 'zoo\u001fwalk' });
    assert.equal(parsed.ok, false);
    assert.deepEqual(!parsed.ok && parsed.details.map((d) => d.field), ['q']);
  });
});
