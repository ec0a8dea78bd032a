/**
 * Random and hostile bodies on every write endpoint of the real stack: whatever arrives, the
 * answer is never a 5xx and no process goes down.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { api, inParallel, tokenFor, uniqueUser } from '../stack/testSupport';
import { readState } from '../stack/stackState';
import { isAlive } from '../stack/processes';

const PAYLOADS_PER_ENDPOINT = 1000;
const CONCURRENCY = 8;

/** Values near the schema's edges: wrong types, huge strings, odd unicode, prototype pollution keys. */
const nasty = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '💥'.repeat(300), 'x'.repeat(10_001), '2026-02-30T25:61:00Z', 'P', 'PT', 'P1Y2M3W4DT5H6M7S',
    'Europe/Berlin', '../../etc/passwd', "'; DROP TABLE tasks; --", '{"$gt": ""}', 'FREQ=SECONDLY', 'FREQ=DAILY;COUNT=-1', 'FREQ=YEARLY;BYMONTH=13',
    -1, 0, 1e308, Number.MAX_SAFE_INTEGER, -0, true, null, [], {}),
);

const taskLike = fc.record({
  title: nasty, description: nasty, priority: fc.oneof(nasty, fc.constantFrom('none', 'low', 'medium', 'high', 'urgent')),
  tags: fc.oneof(nasty, fc.array(nasty, { maxLength: 60 })), due: fc.oneof(nasty, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
  timezone: nasty, recurrence: fc.oneof(nasty, fc.record({ rule: nasty, from: nasty }, { requiredKeys: [] })),
  reminders: fc.oneof(nasty, fc.array(fc.record({ id: nasty, before: nasty, at: nasty }, { requiredKeys: [] }), { maxLength: 25 })),
  status: nasty, __proto__: nasty, constructor: nasty, extra: nasty,
}, { requiredKeys: [] });

/** Either a JSON body or raw bytes that may not be JSON at all. */
const body = fc.oneof(
  taskLike.map((b) => ({ body: b })),
  nasty.map((b) => ({ body: b })),
  fc.string({ maxLength: 200 }).map((raw) => ({ rawBody: raw })),
  fc.constantFrom('{', '{"title":', '[]', 'null', '"x"', '{"title":"a","title":"b"}', '\u0000\u0001', '{"a":'.repeat(2000)).map((raw) => ({ rawBody: raw })),
);

describe('fuzzing every write endpoint on the real stack', function () {
  this.timeout(300_000);
  const tokens: string[] = [];
  const tasks: Array<{ token: string; id: string }> = [];

  before(async () => {
    // Many users, so the per-user rate limit does not answer in place of the validators.
    for (let i = 0; i < 25; i++) {
      const token = await tokenFor(uniqueUser('fuzz'));
      tokens.push(token);
      const t = await api('POST', '/v1/tasks', { token, body: { title: 'fuzz target', due: '2026-12-01T09:00:00Z' } });
      assert.equal(t.status, 201);
      tasks.push({ token, id: t.body.id });
    }
  });

  const endpoints: Array<[string, (i: number) => { method: string; path: string; token: string }]> = [
    ['POST /v1/tasks', (i) => ({ method: 'POST', path: '/v1/tasks', token: tokens[i % tokens.length] })],
    ['PATCH /v1/tasks/{id}', (i) => ({ method: 'PATCH', path: `/v1/tasks/${tasks[i % tasks.length].id}`, token: tasks[i % tasks.length].token })],
    ['POST /v1/tasks/{id}/complete', (i) => ({ method: 'POST', path: `/v1/tasks/${tasks[i % tasks.length].id}/complete`, token: tasks[i % tasks.length].token })],
    ['POST /v1/tasks/{id}/reopen', (i) => ({ method: 'POST', path: `/v1/tasks/${tasks[i % tasks.length].id}/reopen`, token: tasks[i % tasks.length].token })],
  ];

  for (const [name, target] of endpoints) {
    it(`${name}: ${PAYLOADS_PER_ENDPOINT} random bodies, zero 5xx`, async () => {
      const samples = fc.sample(body, { numRuns: PAYLOADS_PER_ENDPOINT, seed: 20261123 + name.length });
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      await inParallel(samples.map((s, i) => ({ s, i })), CONCURRENCY, async ({ s, i }) => {
        const t = target(i);
        const res = await api(t.method, t.path, { token: t.token, ...s });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500 && failures.length < 5) failures.push(`${res.status} for ${JSON.stringify(s).slice(0, 300)}: ${JSON.stringify(res.body).slice(0, 300)}`);
      });
      assert.deepEqual(failures, [], `statuses: ${JSON.stringify([...statuses])}`);
      assert.ok([...statuses.keys()].some((s) => s < 300) || name !== 'POST /v1/tasks', 'some random bodies are valid tasks');
    });
  }

  it('every process of the stack is still running afterwards', () => {
    const state = readState();
    assert.ok(state);
    for (const p of state.processes) assert.ok(isAlive(p), `${p.name} is running`);
  });
});
