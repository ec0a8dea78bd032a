/**
 * GET /v1/tasks?q= on the real PostgreSQL: served by the trigram index (migration 010), not by
 * reading every task of the user, and still matching inside the title, the description or a tag.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool, inTransaction } from '../common/db/pool';
import { parseListQuery } from '../common/tasks/listQuery';
import { uniqueUser } from '../stack/testSupport';
import { newTask } from './taskRules';
import { insertTask, listTasks, listTasksStatement } from './taskStore';

describe('task search by q (real PostgreSQL, pg_trgm)', function () {
  this.timeout(60_000);
  let pool: Pool;
  const userId = uniqueUser('search');
  const NOW = new Date();

  before(async () => {
    pool = createPool('task-search-integration-test');
    await inTransaction(pool, async (tx) => {
      for (let i = 0; i < 3000; i++) {
        const input = i === 1234 ? { title: 'Feed the zebra', tags: ['zoo'] }
          : i === 2345 ? { title: 'Walk', description: 'bring the zebrafish food' }
            : i === 42 ? { title: 'Errand', tags: ['Zebra-crossing'] }
              : { title: `routine chore number ${i}`, description: `nothing to see ${i % 17}`, tags: [`t${i % 5}`] };
        await insertTask(tx, userId, newTask(input, 'UTC', new Date(NOW.getTime() - i * 1000)));
      }
    });
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

  it('a search reads the trigram index tasks_search_trgm, whatever the sort', async () => {
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
