import assert from 'node:assert/strict';
import { RRule, Weekday } from 'rrule';
import { RecurrenceLimitError } from './errors';
import { parseRule, type RecurrenceRule } from './ruleParser';
import { periodStart, rruleOptions, terminationProblem, walkWallClock } from './rruleBridge';
import { fakeUtcToWallClock, formatWallClock, wallClockToFakeUtc, type WallClock } from './wallClock';

const w = (year: number, month: number, day: number, hour = 9, minute = 0, second = 0): WallClock => ({ year, month, day, hour, minute, second });
const rule = (text: string): RecurrenceRule => {
  const r = parseRule(text);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.rule;
};
const start = (text: string, s: WallClock, target: WallClock) => formatWallClock(fakeUtcToWallClock(periodStart(rule(text), s, target)));

/** The first `n` wall-clock times of the series, as text. */
function first(text: string, s: WallClock, n: number, from: WallClock = s): string[] {
  const out: string[] = [];
  walkWallClock(rule(text), s, from, (ms) => {
    if (ms >= wallClockToFakeUtc(from)) out.push(formatWallClock(fakeUtcToWallClock(ms)));
    return out.length < n;
  });
  return out;
}

describe('recurrence/rruleBridge: driving rrule in wall-clock time', () => {
  it('starts at the beginning of the series\' period holding the target, INTERVAL periods apart from the start', () => {
    assert.equal(start('FREQ=DAILY;INTERVAL=3', w(2026, 1, 1), w(2026, 1, 8, 15)), '2026-01-07T00:00:00');
    assert.equal(start('FREQ=WEEKLY;INTERVAL=2', w(2026, 1, 7), w(2026, 1, 22)), '2026-01-19T00:00:00'); // weeks from Monday Jan 5
    assert.equal(start('FREQ=WEEKLY;INTERVAL=2;WKST=SU', w(2026, 1, 7), w(2026, 1, 22)), '2026-01-18T00:00:00'); // weeks from Sunday Jan 4
    assert.equal(start('FREQ=MONTHLY;INTERVAL=2', w(2026, 1, 31), w(2026, 6, 15)), '2026-05-01T00:00:00');
    assert.equal(start('FREQ=YEARLY;INTERVAL=4', w(2024, 2, 29), w(2031, 1, 1)), '2028-01-01T00:00:00');
    assert.equal(start('FREQ=HOURLY;INTERVAL=5', w(2026, 1, 1, 9, 30), w(2026, 1, 1, 20, 10)), '2026-01-01T19:00:00');
    assert.equal(start('FREQ=MINUTELY;INTERVAL=7', w(2026, 1, 1, 9, 0, 30), w(2026, 1, 1, 9, 20)), '2026-01-01T09:14:00');
    assert.equal(start('FREQ=DAILY', w(2026, 1, 10), w(2020, 1, 1)), '2026-01-10T00:00:00'); // a target before the start: the start's period
  });

  it('takes what the rule leaves out from the series\' start, as RFC 5545 takes it from DTSTART', () => {
    const s = w(2026, 1, 31, 9, 15, 30); // a Saturday
    const o = (text: string) => rruleOptions(rule(text), s);
    assert.deepEqual([o('FREQ=MONTHLY').bymonthday, o('FREQ=MONTHLY').byhour, o('FREQ=MONTHLY').byminute, o('FREQ=MONTHLY').bysecond], [[31], [9], [15], [30]]);
    assert.deepEqual([o('FREQ=YEARLY').bymonth, o('FREQ=YEARLY').bymonthday], [[1], [31]]);
    assert.deepEqual([o('FREQ=YEARLY;BYMONTH=6,7').bymonth, o('FREQ=YEARLY;BYMONTH=6,7').bymonthday], [[6, 7], [31]]);
    assert.deepEqual(o('FREQ=WEEKLY').byweekday, [new Weekday(5)]);
    assert.deepEqual(o('FREQ=MONTHLY;BYDAY=-1FR').byweekday, [new Weekday(4, -1)]);
    assert.equal(o('FREQ=MONTHLY;BYDAY=-1FR').bymonthday, null);
    assert.deepEqual([o('FREQ=HOURLY').byhour, o('FREQ=HOURLY').byminute], [null, [15]]);
    assert.deepEqual([o('FREQ=MINUTELY').byminute, o('FREQ=MINUTELY').bysecond], [null, [30]]);
    assert.deepEqual(o('FREQ=DAILY;BYHOUR=8,20').byhour, [8, 20]);
  });

  it('refuses the sub-daily rules on which rrule would loop forever, and only those', () => {
    assert.match(terminationProblem(rule('FREQ=HOURLY;INTERVAL=2;BYHOUR=9'), w(2026, 1, 1, 10)) ?? '', /never happens: every 2 hours from 10:00/);
    assert.equal(terminationProblem(rule('FREQ=HOURLY;INTERVAL=2;BYHOUR=9'), w(2026, 1, 1, 11)), null);
    assert.equal(terminationProblem(rule('FREQ=HOURLY;INTERVAL=5;BYHOUR=9'), w(2026, 1, 1, 10)), null);
    assert.match(terminationProblem(rule('FREQ=MINUTELY;INTERVAL=30;BYMINUTE=15'), w(2026, 1, 1, 9, 0)) ?? '', /never happens: every 30 minutes from 9:00/);
    assert.equal(terminationProblem(rule('FREQ=MINUTELY;INTERVAL=30;BYMINUTE=15'), w(2026, 1, 1, 9, 45)), null);
    assert.equal(terminationProblem(rule('FREQ=MINUTELY;INTERVAL=7;BYMINUTE=15'), w(2026, 1, 1, 9, 0)), null);
    assert.equal(terminationProblem(rule('FREQ=MINUTELY;INTERVAL=120;BYMINUTE=30'), w(2026, 1, 1, 0, 30)), null);
    assert.notEqual(terminationProblem(rule('FREQ=MINUTELY;INTERVAL=120;BYMINUTE=0'), w(2026, 1, 1, 0, 30)), null);
    // What the guard allows does finish: every 30 minutes at :15 and :45 from 09:45.
    assert.deepEqual(first('FREQ=MINUTELY;INTERVAL=30;BYMINUTE=15', w(2026, 1, 1, 9, 45), 3), ['2026-01-01T10:15:00', '2026-01-01T11:15:00', '2026-01-01T12:15:00']);
  });

  it('stops rrule\'s loop on a rule that never matches within the step budget, instead of walking to year 9999', () => {
    // Unbounded, rrule would walk to year 9999 (about 15 s per rule) and find nothing, without an error.
    assert.throws(() => first('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYSETPOS=2', w(2026, 1, 1), 1), RecurrenceLimitError);
    assert.throws(() => first('FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2', w(2026, 1, 1), 1), RecurrenceLimitError);
  });

  it('finds a rare but real rule within the budget (Feb 29 on a Monday: 2044, then 2072)', () => {
    assert.deepEqual(first('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', w(2026, 1, 1), 2), ['2044-02-29T09:00:00', '2072-02-29T09:00:00']);
  });

  it('ends after year 9999, as rrule does', () => {
    assert.equal(walkWallClock(rule('FREQ=YEARLY'), w(9998, 6, 1), w(9998, 6, 1), () => true), 'ended');
    assert.equal(walkWallClock(rule('FREQ=YEARLY'), w(9998, 6, 1), w(9998, 6, 1), () => false), 'stopped');
  });

  it('applies BYSETPOS to whole periods, so a series started at any of its occurrences goes on the same', () => {
    // The second of Monday, Wednesday, Friday: every Wednesday.
    const text = 'FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=2';
    const fromMonday = first(text, w(2026, 1, 5), 4);
    assert.deepEqual(fromMonday, ['2026-01-07T09:00:00', '2026-01-14T09:00:00', '2026-01-21T09:00:00', '2026-01-28T09:00:00']);
    assert.deepEqual(first(text, w(2026, 1, 7), 4), fromMonday);
    assert.deepEqual(first(text, w(2026, 1, 5), 2, w(2026, 1, 15)), fromMonday.slice(2));
  });

  it('(why: rrule alone applies BYSETPOS to the part of the first week from DTSTART on, and gives a Friday)', () => {
    const plain = new RRule({ freq: RRule.WEEKLY, byweekday: [RRule.MO, RRule.WE, RRule.FR], bysetpos: [2], dtstart: new Date(Date.UTC(2026, 0, 7, 9)) }, true);
    assert.equal(plain.all((_, i) => i < 1)[0].toISOString(), '2026-01-09T09:00:00.000Z');
  });
});
