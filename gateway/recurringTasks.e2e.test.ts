/** Recurring tasks through the REST API on the real stack: rule validation and the next occurrence. */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../common/db/pool';
import { api, tokenFor, uniqueUser } from '../stack/testSupport';

describe('recurring tasks', function () {
  this.timeout(60_000);
  let pool: Pool;
  before(() => {
    pool = createPool('recurring-test');
  });
  after(() => pool.end());

  it('refuses rules that fire more often than once a minute, never fire, or come without a due time, naming the field', async () => {
    const token = await tokenFor(uniqueUser('rules'));
    const due = '2026-12-01T09:00:00+01:00';
    for (const rule of ['FREQ=SECONDLY', 'FREQ=MINUTELY;BYSECOND=0,30', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;DTSTART=20260101T000000Z', 'FREQ=FOO', 'FREQ=MONTHLY;BYMONTH=13']) {
      const res = await api('POST', '/v1/tasks', { token, body: { title: 'r', due, timezone: 'Europe/Berlin', recurrence: { rule } } });
      assert.equal(res.status, 400, `${rule}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.details[0].field, 'recurrence.rule', rule);
    }
    const noDue = await api('POST', '/v1/tasks', { token, body: { title: 'r', recurrence: { rule: 'FREQ=DAILY' } } });
    assert.equal(noDue.status, 400);
    assert.equal(noDue.body.error.details[0].field, 'due');
    const ok = await api('POST', '/v1/tasks', { token, body: { title: 'r', due, timezone: 'Europe/Berlin', recurrence: { rule: 'FREQ=MINUTELY;INTERVAL=1;COUNT=3' } } });
    assert.equal(ok.status, 201, 'once a minute is allowed');
  });

  it('completing an occurrence creates the next one, in the zone\'s wall-clock time, with the same title, tags, priority and offsets', async () => {
    const token = await tokenFor(uniqueUser('weekly'));
    // Mondays at 09:00 Berlin, starting Monday 22 March 2027 (CET, UTC+1); clocks go forward on 28 March.
    const first = await api('POST', '/v1/tasks', { token, body: {
      title: 'Send the report', priority: 'high', tags: ['work'], due: '2027-03-22T09:00:00+01:00', timezone: 'Europe/Berlin',
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', from: 'due' }, reminders: [{ id: 'r15', before: 'PT15M' }, { at: '2027-03-22T06:00:00Z' }],
    } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.seriesId, first.body.id);
    const done = await api('POST', `/v1/tasks/${first.body.id}/complete`, { token });
    assert.equal(done.status, 200);
    const next = done.body.next;
    assert.ok(next, 'a next occurrence');
    assert.equal(next.due, '2027-03-29T07:00:00.000Z', 'still 09:00 in Berlin, now CEST (UTC+2)');
    assert.equal(next.occurrence, 2);
    assert.equal(next.seriesId, first.body.id);
    assert.equal(next.title, 'Send the report');
    assert.deepEqual(next.tags, ['work']);
    assert.equal(next.priority, 'high');
    assert.equal(next.timezone, 'Europe/Berlin');
    assert.deepEqual(next.reminders, [{ id: 'r15', before: 'PT15M' }], 'offsets carry over, absolute reminders do not');
    assert.equal(next.status, 'open');
    assert.equal(next.version, 1);
  });

  it('completing an overdue occurrence skips to the first occurrence after now, not to a backlog', async () => {
    const token = await tokenFor(uniqueUser('overdue'));
    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000 - 3600_000).toISOString();
    const t = await api('POST', '/v1/tasks', { token, body: { title: 'daily standup notes', due: fiveDaysAgo, recurrence: { rule: 'FREQ=DAILY' } } });
    const done = await api('POST', `/v1/tasks/${t.body.id}/complete`, { token });
    const next = done.body.next;
    assert.ok(Date.parse(next.due) > Date.now(), `next due ${next.due} is in the future`);
    assert.ok(Date.parse(next.due) - Date.now() <= 86_400_000, 'and within a day');
    assert.equal(next.occurrence, 7, 'the skipped days use up their occurrence numbers');
  });

  it('completing again, or many times at once, never creates a second next occurrence', async () => {
    const token = await tokenFor(uniqueUser('race'));
    const t = await api('POST', '/v1/tasks', { token, body: { title: 'water plants', due: new Date(Date.now() + 3600_000).toISOString(), recurrence: { rule: 'FREQ=DAILY' } } });
    assert.equal(t.status, 201);
    const results = await Promise.all(Array.from({ length: 12 }, () => api('POST', `/v1/tasks/${t.body.id}/complete`, { token })));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    const nextIds = new Set(results.map((r) => r.body.next?.id));
    assert.equal(nextIds.size, 1, `every answer names the same next occurrence: ${[...nextIds]}`);
    const again = await api('POST', `/v1/tasks/${t.body.id}/complete`, { token });
    assert.equal(again.body.next.id, [...nextIds][0]);
    const rows = await pool.query('SELECT occurrence FROM tasks WHERE series_id = $1 ORDER BY occurrence', [t.body.id]);
    assert.deepEqual(rows.rows.map((r) => r.occurrence), [1, 2], 'exactly occurrences 1 and 2 exist');
  });

  it('a series ends after COUNT', async () => {
    const token = await tokenFor(uniqueUser('count'));
    let task = (await api('POST', '/v1/tasks', { token, body: { title: 'twice', due: new Date(Date.now() + 60_000).toISOString(), recurrence: { rule: 'FREQ=DAILY;COUNT=2' } } })).body;
    const first = await api('POST', `/v1/tasks/${task.id}/complete`, { token });
    assert.ok(first.body.next);
    task = first.body.next;
    const second = await api('POST', `/v1/tasks/${task.id}/complete`, { token });
    assert.equal(second.body.next, null, 'nothing after the second of COUNT=2');
  });
});
