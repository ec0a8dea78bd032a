import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RRule } from 'rrule';
import { firstOccurrence } from './firstOccurrence';
import type { RuleParts } from './recurrence';
import { ruleText } from './rrule';

const d = (year: number, month: number, day: number) => ({ year, month, day });
const NINE = { hour: 9, minute: 0 };
const at = (iso: string) => Date.parse(iso);
const first = (p: RuleParts, from: string, now: string, zone = 'UTC') => {
  const [y, m, dd] = from.split('-').map(Number);
  const r = firstOccurrence(p, d(y, m, dd), NINE, zone, at(now));
  return r && new Date(r.instantMs).toISOString();
};

describe('the first due of a series', () => {
  it('is the next time of day for a rule without anchors', () => {
    assert.equal(first({ freq: 'DAILY', interval: 1 }, '2026-11-23', '2026-11-23T08:00:00Z'), '2026-11-23T09:00:00.000Z');
    assert.equal(first({ freq: 'MONTHLY', interval: 1 }, '2026-11-23', '2026-11-23T10:00:00Z'), '2026-11-24T09:00:00.000Z');
  });

  it('skips months without the day, and finds the next 29 February', () => {
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byMonthDay: [31] }, '2026-11-23', '2026-11-23T10:00:00Z'), '2026-12-31T09:00:00.000Z');
    assert.equal(first({ freq: 'YEARLY', interval: 1, byMonth: 2, byMonthDay: [29] }, '2026-11-23', '2026-11-23T10:00:00Z'), '2028-02-29T09:00:00.000Z');
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byMonthDay: [-1] }, '2027-02-01', '2026-11-23T10:00:00Z'), '2027-02-28T09:00:00.000Z');
  });

  it('finds the nth and the last weekday of a month', () => {
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byDay: [{ day: 1, nth: 1 }] }, '2026-11-23', '2026-11-23T10:00:00Z'), '2026-12-07T09:00:00.000Z');
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byDay: [{ day: 5, nth: -1 }] }, '2026-11-23', '2026-11-23T10:00:00Z'), '2026-11-27T09:00:00.000Z');
  });

  it('is computed in the zone: 09:00 on the next 1st in Berlin is 08:00Z in winter, 07:00Z in summer', () => {
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byMonthDay: [1] }, '2026-11-23', '2026-11-23T10:00:00Z', 'Europe/Berlin'), '2026-12-01T08:00:00.000Z');
    assert.equal(first({ freq: 'MONTHLY', interval: 1, byMonthDay: [1] }, '2027-05-02', '2026-11-23T10:00:00Z', 'Europe/Berlin'), '2027-06-01T07:00:00.000Z');
  });

  it('agrees with the rrule package on the first occurrence after now (property, UTC)', function () {
    this.timeout(60_000);
    const weekdays = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 });
    const parts: fc.Arbitrary<RuleParts> = fc.oneof(
      fc.constant<RuleParts>({ freq: 'DAILY', interval: 1 }),
      weekdays.map<RuleParts>((ds) => ({ freq: 'WEEKLY', interval: 1, byDay: ds.map((day) => ({ day })) })),
      fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(-1)), { minLength: 1, maxLength: 3 }).map<RuleParts>((mds) => ({ freq: 'MONTHLY', interval: 1, byMonthDay: mds })),
      fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom(1, 2, 3, 4, -1)).map<RuleParts>(([day, nth]) => ({ freq: 'MONTHLY', interval: 1, byDay: [{ day, nth }] })),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map<RuleParts>(([m, md]) => ({ freq: 'YEARLY', interval: 1, byMonth: m, byMonthDay: [md] })),
    );
    fc.assert(
      fc.property(parts, fc.integer({ min: 0, max: 3 * 365 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 47 }), (p, dayOffset, hour, nowHalfHours) => {
        const fromMs = Date.UTC(2026, 0, 1) + dayOffset * 86_400_000;
        const from = new Date(fromMs);
        const nowMs = fromMs + nowHalfHours * 1_800_000;
        const time = { hour, minute: 0 };
        const mine = firstOccurrence(p, { year: from.getUTCFullYear(), month: from.getUTCMonth() + 1, day: from.getUTCDate() }, time, 'UTC', nowMs);
        const options = RRule.parseString(ruleText(p));
        const theirs = new RRule({ ...options, dtstart: new Date(fromMs), byhour: [hour], byminute: [0], bysecond: [0] }).after(new Date(nowMs), false);
        assert.equal(mine ? new Date(mine.instantMs).toISOString() : null, theirs ? theirs.toISOString() : null);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
