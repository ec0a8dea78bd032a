import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dueArb, instantArb, ruleArb, zoneArb } from './arbitraries';
import { occurrencesBetween } from './expand';
import { InvalidRecurrenceError } from './errors';
import { LIMITS } from './limits';
import { nextDue, planNextOccurrence, type CompletedOccurrence, type NextDue } from './nextDue';
import { validateRecurrence } from './rule';

const iso = (n: NextDue | null) => (n ? { due: n.due.toISOString(), occurrence: n.occurrence } : null);
const d = (s: string) => new Date(s);

function complete(rule: string, from: 'due' | 'completion', zone: string, due: string, completedAt: string, occurrence = 1) {
  return iso(nextDue({ recurrence: { rule, from }, zone, due: d(due), occurrence, completedAt: d(completedAt) }));
}

describe('recurrence/nextDue: from "due", the calendar decides', () => {
  const berlinDaily = (completedAt: string, occurrence = 1) => complete('FREQ=DAILY', 'due', 'Europe/Berlin', '2026-01-05T08:00:00Z', completedAt, occurrence);

  it('moves on to the next occurrence when completed early or on the day', () => {
    assert.deepEqual(berlinDaily('2026-01-04T18:00:00Z'), { due: '2026-01-06T08:00:00.000Z', occurrence: 2 });
    assert.deepEqual(berlinDaily('2026-01-05T12:00:00Z'), { due: '2026-01-06T08:00:00.000Z', occurrence: 2 });
  });

  it('skips the occurrences that have passed when completed late, counting them', () => {
    // Due Monday, done Friday at 13:00 Berlin: Tuesday to Friday (2..5) have passed; Saturday is 6.
    assert.deepEqual(berlinDaily('2026-01-09T12:00:00Z'), { due: '2026-01-10T08:00:00.000Z', occurrence: 6 });
    assert.deepEqual(berlinDaily('2026-01-09T12:00:00Z', 3), { due: '2026-01-10T08:00:00.000Z', occurrence: 8 });
  });

  it('ends where COUNT ends the calendar series, even when the last ones were skipped', () => {
    const count10 = (completedAt: string, occurrence = 1, due = '2026-01-01T09:00:00Z') => complete('FREQ=DAILY;COUNT=10', 'due', 'UTC', due, completedAt, occurrence);
    assert.deepEqual(count10('2026-01-05T12:00:00Z'), { due: '2026-01-06T09:00:00.000Z', occurrence: 6 });
    assert.deepEqual(count10('2026-01-09T09:00:00Z', 9, '2026-01-09T09:00:00Z'), { due: '2026-01-10T09:00:00.000Z', occurrence: 10 });
    assert.equal(count10('2026-01-10T09:00:00Z', 10, '2026-01-10T09:00:00Z'), null);
    assert.equal(count10('2026-01-20T12:00:00Z'), null); // all ten are past
  });

  it('ends after UNTIL', () => {
    assert.equal(complete('FREQ=WEEKLY;UNTIL=20260112T090000Z', 'due', 'UTC', '2026-01-12T09:00:00Z', '2026-01-12T10:00:00Z', 2), null);
    assert.deepEqual(complete('FREQ=WEEKLY;UNTIL=20260112T090000Z', 'due', 'UTC', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z'), { due: '2026-01-12T09:00:00.000Z', occurrence: 2 });
  });

  it('keeps the wall-clock time across DST', () => {
    assert.deepEqual(complete('FREQ=DAILY', 'due', 'Europe/Berlin', '2026-03-28T08:00:00Z', '2026-03-28T09:00:00Z'), { due: '2026-03-29T07:00:00.000Z', occurrence: 2 });
    assert.deepEqual(complete('FREQ=WEEKLY', 'due', 'America/New_York', '2026-10-26T13:00:00Z', '2026-10-26T15:00:00Z'), { due: '2026-11-02T14:00:00.000Z', occurrence: 2 });
  });

  it('still lands after the completion when more occurrences passed than it may count; the number is then a lower bound', () => {
    const next = complete('FREQ=MINUTELY', 'due', 'Europe/Berlin', '2026-01-01T09:00:00Z', '2026-01-31T09:00:30Z');
    assert.equal(next?.due, '2026-01-31T09:01:00.000Z');
    assert.equal(next?.occurrence, 1 + LIMITS.scanYields + 1);
    assert.ok((next?.occurrence ?? 0) < 30 * 1440 + 2); // the true number
  });
});

describe('recurrence/nextDue: from "completion", the completion decides', () => {
  it('every 3 days: three days after the completion\'s date, at the series\' time', () => {
    assert.deepEqual(complete('FREQ=DAILY;INTERVAL=3', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-06T18:00:00Z'), { due: '2026-01-09T09:00:00.000Z', occurrence: 2 });
    assert.deepEqual(complete('FREQ=DAILY;INTERVAL=3', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-06T08:00:00Z'), { due: '2026-01-09T09:00:00.000Z', occurrence: 2 });
  });

  it('takes the completion\'s date in the task\'s zone (00:30 in Berlin is already the next day)', () => {
    assert.deepEqual(complete('FREQ=DAILY;INTERVAL=3', 'completion', 'Europe/Berlin', '2026-01-05T08:00:00Z', '2026-01-06T23:30:00Z'), { due: '2026-01-10T08:00:00.000Z', occurrence: 2 });
  });

  it('BYDAY rules: the next matching day after the completion\'s date', () => {
    // Completed Tuesday: Wednesday.
    assert.deepEqual(complete('FREQ=WEEKLY;BYDAY=MO,WE,FR', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-06T10:00:00Z'), { due: '2026-01-07T09:00:00.000Z', occurrence: 2 });
    // Friday's task done early on Monday: this Friday again (from "due" would give the next one).
    assert.deepEqual(complete('FREQ=WEEKLY;BYDAY=FR', 'completion', 'UTC', '2026-01-09T09:00:00Z', '2026-01-05T10:00:00Z'), { due: '2026-01-09T09:00:00.000Z', occurrence: 2 });
    assert.deepEqual(complete('FREQ=WEEKLY;BYDAY=FR', 'due', 'UTC', '2026-01-09T09:00:00Z', '2026-01-05T10:00:00Z'), { due: '2026-01-16T09:00:00.000Z', occurrence: 2 });
    // Done on a matching day before its time: day 0 does not count, the next week's.
    assert.deepEqual(complete('FREQ=WEEKLY;BYDAY=FR', 'completion', 'UTC', '2026-01-09T09:00:00Z', '2026-01-09T07:00:00Z'), { due: '2026-01-16T09:00:00.000Z', occurrence: 2 });
  });

  it('monthly without a day: the day of the month follows the completion', () => {
    assert.deepEqual(complete('FREQ=MONTHLY', 'completion', 'UTC', '2026-03-01T09:00:00Z', '2026-03-20T15:00:00Z'), { due: '2026-04-20T09:00:00.000Z', occurrence: 2 });
  });

  it('sub-daily rules: the next slot of day 0\'s grid after the completion', () => {
    assert.deepEqual(complete('FREQ=HOURLY;INTERVAL=2', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-05T12:30:00Z'), { due: '2026-01-05T13:00:00.000Z', occurrence: 2 });
    // Several times a day: after the completion, not merely after day 0's time.
    assert.deepEqual(complete('FREQ=DAILY;BYHOUR=9,17', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-05T18:00:00Z'), { due: '2026-01-06T09:00:00.000Z', occurrence: 2 });
  });

  it('keeps the wall-clock time across DST, and skips a day 0 time that does not exist', () => {
    assert.deepEqual(complete('FREQ=DAILY', 'completion', 'Europe/Berlin', '2026-03-27T08:00:00Z', '2026-03-28T20:00:00Z'), { due: '2026-03-29T07:00:00.000Z', occurrence: 2 });
    assert.deepEqual(complete('FREQ=DAILY', 'completion', 'Europe/Berlin', '2026-03-28T01:30:00Z', '2026-03-28T20:00:00Z'), { due: '2026-03-30T00:30:00.000Z', occurrence: 2 });
  });

  it('keeps the series\' own grid when day 0\'s grid would never match (every 7 days on Mondays, completed on a Tuesday)', () => {
    assert.deepEqual(complete('FREQ=DAILY;INTERVAL=7;BYDAY=MO', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-01-13T10:00:00Z'), { due: '2026-01-19T09:00:00.000Z', occurrence: 2 });
    assert.deepEqual(complete('FREQ=MONTHLY;INTERVAL=12;BYMONTH=3;BYMONTHDAY=1', 'completion', 'UTC', '2026-03-01T09:00:00Z', '2026-05-10T10:00:00Z'), { due: '2027-03-01T09:00:00.000Z', occurrence: 2 });
  });

  it('counts COUNT in occurrences created: one more per completion', () => {
    assert.deepEqual(complete('FREQ=DAILY;COUNT=3', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-02-01T10:00:00Z', 2), { due: '2026-02-02T09:00:00.000Z', occurrence: 3 });
    assert.equal(complete('FREQ=DAILY;COUNT=3', 'completion', 'UTC', '2026-01-05T09:00:00Z', '2026-02-01T10:00:00Z', 3), null);
  });
});

describe('recurrence/nextDue: inputs', () => {
  it('throws InvalidRecurrenceError for a bad number, completion time, rule or zone', () => {
    const c: CompletedOccurrence = { recurrence: { rule: 'FREQ=DAILY', from: 'due' }, zone: 'UTC', due: d('2026-01-05T09:00:00Z'), occurrence: 1, completedAt: d('2026-01-05T10:00:00Z') };
    assert.throws(() => nextDue({ ...c, occurrence: 0 }), InvalidRecurrenceError);
    assert.throws(() => nextDue({ ...c, occurrence: 1.5 }), InvalidRecurrenceError);
    assert.throws(() => nextDue({ ...c, completedAt: d('nope') }), InvalidRecurrenceError);
    assert.throws(() => nextDue({ ...c, recurrence: { rule: 'FREQ=SECONDLY', from: 'due' } }), InvalidRecurrenceError);
    assert.throws(() => nextDue({ ...c, zone: 'Mars/Olympus' }), InvalidRecurrenceError);
  });
});

describe('recurrence/nextDue: planNextOccurrence, the actor\'s shape', () => {
  const task = { due: '2026-01-05T09:00:00+01:00', timezone: 'Europe/Berlin', occurrence: 1, recurrence: { rule: 'FREQ=WEEKLY', from: 'due' as const } };

  it('plans from a stored task', () => {
    assert.deepEqual(iso(planNextOccurrence(task, d('2026-01-05T10:00:00Z'))), { due: '2026-01-12T08:00:00.000Z', occurrence: 2 });
  });

  it('plans nothing for a task without recurrence or due', () => {
    assert.equal(planNextOccurrence({ ...task, recurrence: null }, d('2026-01-05T10:00:00Z')), null);
    assert.equal(planNextOccurrence({ ...task, due: null }, d('2026-01-05T10:00:00Z')), null);
  });
});

describe('recurrence/nextDue: properties', () => {
  const completedArb = fc.record({
    recurrence: fc.record({ rule: ruleArb, from: fc.constantFrom('due' as const, 'completion' as const) }),
    zone: zoneArb, due: dueArb, occurrence: fc.integer({ min: 1, max: 3 }), completedAt: instantArb,
  }).filter((c) => validateRecurrence(c.recurrence.rule, c.due, c.zone).ok);

  it('the next due is after the completion (and for "due", after the completed due); the number goes up', () => {
    fc.assert(fc.property(completedArb, (c: CompletedOccurrence) => {
      const next = nextDue(c);
      if (!next) return;
      assert.ok(next.due > c.completedAt);
      if (c.recurrence.from === 'due') assert.ok(next.due > c.due);
      assert.ok(next.occurrence > (c.occurrence ?? 1));
      if (c.recurrence.from === 'completion') assert.equal(next.occurrence, (c.occurrence ?? 1) + 1);
    }), { numRuns: 200 });
  });

  it('completing each occurrence on time walks the series, numbers and all', () => {
    fc.assert(fc.property(ruleArb, zoneArb, dueArb, (rule, zone, first) => {
      fc.pre(validateRecurrence(rule, first, zone).ok);
      const expected = occurrencesBetween({ rule, zone, dtstartUtc: first, fromUtc: first, toUtc: new Date('9999-01-01T00:00:00Z'), limit: 8 });
      const onTime = (c: NextDue) => nextDue({ recurrence: { rule, from: 'due' }, zone, due: c.due, occurrence: c.occurrence, completedAt: c.due });
      let current: NextDue = { due: first, occurrence: 1 };
      for (let i = 1; i < expected.length; i++) {
        const next = onTime(current);
        assert.deepEqual(iso(next), { due: expected[i].toISOString(), occurrence: i + 1 });
        current = next as NextDue;
      }
      if (expected.length < 8) assert.equal(onTime(current), null);
    }), { numRuns: 150 });
  });
});
