/**
 * Property test of the list logic against the real PostgreSQL: for random task sets and random
 * queries, walking every page (through the opaque cursor) returns exactly the tasks an in-memory
 * model of the same filter and order returns, in the same order, each once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { createPool, inTransaction } from '../common/db/pool';
import { encodeCursor, parseListQuery, priorityRank, type ListFilter, type SortField } from '../common/tasks/listQuery';
import { TASK_PRIORITIES, type Task } from '../common/tasks/task';
import { insertNewTask, listTasks } from './taskStore';

const NOW = new Date('2026-06-15T12:00:00Z');
const TAGS = ['home', 'work', 'Work', '100%', 'a_b'];

const taskArb = fc.record({
  title: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
  description: fc.constantFrom('', 'oat milk', 'call 100% back', 'under_score', 'back\\slash'),
  status: fc.constantFrom('open', 'completed' as const),
  priority: fc.constantFrom(...TASK_PRIORITIES),
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
  due: fc.option(fc.integer({ min: 0, max: 20 }).map((d) => new Date(Date.UTC(2026, 5, 5 + d, 9)).toISOString()), { nil: null }),
  createdOffset: fc.integer({ min: 0, max: 5 }),
  updatedOffset: fc.integer({ min: 0, max: 5 }),
});

/** Each filter is present in about one query in five, so most pages hold many tasks to order. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const queryArb = fc.record({
  status: sometimes(fc.constantFrom('open', 'completed')),
  priority: sometimes(fc.constantFrom(...TASK_PRIORITIES)),
  tag: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }) }),
  q: sometimes(fc.constantFrom('a', 'OAT', '%', '_', '\\', 'work', 'x')),
  dueAfter: sometimes(fc.constantFrom('2026-06-10T00:00:00Z', '2026-06-20T09:00:00Z')),
  dueBefore: sometimes(fc.constantFrom('2026-06-12T00:00:00Z', '2026-06-30T00:00:00Z')),
  overdue: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  sort: fc.constantFrom('due', 'priority', 'createdAt', 'updatedAt', 'title' as const),
  order: fc.constantFrom('asc', 'desc' as const),
  limit: fc.integer({ min: 1, max: 7 }),
});

/** The model: what the list should contain, in what order. */
function expected(tasks: Task[], f: ListFilter, sort: SortField, order: 'asc' | 'desc'): string[] {
  const has = (s: string, q: string) => s.toLowerCase().includes(q.toLowerCase());
  const kept = tasks.filter((t) => (!f.status || t.status === f.status)
    && (!f.priority || t.priority === f.priority)
    && f.tags.every((tag) => t.tags.includes(tag))
    && (!f.q || has(t.title, f.q) || has(t.description, f.q) || t.tags.some((tag) => has(tag, f.q as string)))
    && (!f.dueAfter || (t.due !== null && t.due >= f.dueAfter))
    && (!f.dueBefore || (t.due !== null && t.due < f.dueBefore))
    && (!f.overdue || (t.status === 'open' && t.due !== null && t.due < NOW.toISOString())));
  const key = (t: Task): number | string => {
    switch (sort) {
      case 'due': return t.due === null ? Number.POSITIVE_INFINITY : Date.parse(t.due);
      case 'priority': return priorityRank(t.priority);
      case 'createdAt': return Date.parse(t.createdAt);
      case 'updatedAt': return Date.parse(t.updatedAt);
      case 'title': return t.title.toLowerCase();
    }
  };
  const cmp = (a: Task, b: Task) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return order === 'asc' ? c : -c;
  };
  return kept.sort(cmp).map((t) => t.id);
}

describe('list logic (property test against PostgreSQL)', function () {
  this.timeout(120_000);
  let pool: Pool;

  before(() => {
    pool = createPool('list-property-test');
  });
  after(() => pool.end());

  it('walking the pages of any query returns exactly the model\'s tasks, in the model\'s order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(taskArb, { minLength: 0, maxLength: 25 }), queryArb, async (specs, rawQuery) => {
      const userId = `list-prop-${randomUUID()}`;
      const tasks: Task[] = specs.map((s) => ({
        id: randomUUID(), title: s.title, description: s.description, status: s.status, priority: s.priority, tags: s.tags,
        due: s.due, timezone: 'UTC', recurrence: null, reminders: [], seriesId: null, occurrence: 1,
        createdAt: new Date(Date.UTC(2026, 5, 1, s.createdOffset)).toISOString(),
        updatedAt: new Date(Date.UTC(2026, 5, 2, s.updatedOffset)).toISOString(),
        completedAt: s.status === 'completed' ? NOW.toISOString() : null, version: 1,
      }));
      await inTransaction(pool, async (tx) => {
        for (const t of tasks) await insertNewTask(tx, userId, t, {});
      });
      const raw: Record<string, unknown> = { sort: rawQuery.sort, order: rawQuery.order, limit: String(rawQuery.limit), tag: rawQuery.tag };
      for (const k of ['status', 'priority', 'q', 'dueAfter', 'dueBefore'] as const) if (rawQuery[k] !== undefined) raw[k] = rawQuery[k];
      if (rawQuery.overdue) raw.overdue = 'true';
      const first = parseListQuery(raw);
      assert.ok(first.ok, JSON.stringify(first));
      const want = expected(tasks, first.query.filter, first.query.sort, first.query.order);

      const got: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const parsed = parseListQuery(cursor ? { ...raw, cursor } : raw);
        assert.ok(parsed.ok, JSON.stringify(parsed));
        const page = await listTasks(pool, userId, parsed.query, NOW);
        assert.ok(page.items.length <= parsed.query.limit);
        got.push(...page.items.map((t) => t.id));
        if (!page.last) break;
        cursor = encodeCursor(parsed.query, page.last);
      }
      assert.deepEqual(got, want);
      await pool.query('DELETE FROM tasks WHERE user_id = $1', [userId]);
    }), { numRuns: 100, seed: 424242 });
  });
});
