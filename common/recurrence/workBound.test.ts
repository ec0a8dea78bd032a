/**
 * The work one engine call may do is bounded in steps of rrule's loop (limits.ts), not in time:
 * these properties count the steps (WORK_METER) over generated rules, ordinary and hostile, and
 * check that rules whose parts contradict each other are refused before any step.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Frequency as RFreq, RRule, Weekday as RWeekday } from 'rrule';
import { dueArb, ruleArb, zoneArb } from './arbitraries';
import { nextOccurrence } from './expand';
import { contradictionProblem } from './feasibility';
import { LIMITS } from './limits';
import { validateRecurrence } from './rule';
import { parseRule, WEEKDAYS, type RecurrenceRule } from './ruleParser';
import { WORK_METER } from './rruleBridge';

/** Steps and yields of rrule's loop across fn. */
function work(fn: () => void): { steps: number; yields: number } {
  const s = WORK_METER.steps;
  const y = WORK_METER.yields;
  try {
    fn();
  } catch {
    /* a refusal is an answer too; the work is what counts here */
  }
  return { steps: WORK_METER.steps - s, yields: WORK_METER.yields - y };
}

const nums = (min: number, max: number, neg: boolean) => fc.uniqueArray(fc.integer({ min, max }).map((n) => (neg && n % 3 === 0 ? -n : n)), { minLength: 1, maxLength: 4 });
// Each part in about one rule of two, so that most combinations pass the parser's RFC checks.
const part = <T>(name: string, arb: fc.Arbitrary<T[]>) => fc.option(arb.map((v) => `${name}=${v.join(',')}`), { nil: undefined, freq: 2 });

/** Any combination of parts the parser lets through: most never happen, or happen very rarely. */
const hostileRuleArb = fc.record({
  freq: fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY'),
  interval: fc.option(fc.integer({ min: 2, max: 400 }), { nil: undefined, freq: 3 }),
  byMonth: part('BYMONTH', nums(1, 12, false)),
  byMonthDay: part('BYMONTHDAY', nums(1, 31, true)),
  byYearDay: part('BYYEARDAY', nums(1, 366, true)),
  byWeekNo: part('BYWEEKNO', nums(1, 53, true)),
  byDay: part('BYDAY', fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 })),
  bySetPos: part('BYSETPOS', nums(1, 366, true)),
  byHour: part('BYHOUR', nums(0, 23, false)),
}).map((r) => [`FREQ=${r.freq}`, r.interval && `INTERVAL=${r.interval}`, r.byMonth, r.byMonthDay, r.byYearDay, r.byWeekNo, r.byDay, r.bySetPos, r.byHour].filter(Boolean).join(';'))
  .filter((text) => parseRule(text).ok);

/** What one call may cost: the budget, plus two steps for each time rrule yields (which COUNT and the occurrence budget bound). */
const allowed = (yields: number) => LIMITS.rruleSteps + 2 * yields + 2;

describe('recurrence: the work of one call is bounded in steps', () => {
  it('validating any rule the parser accepts, ordinary or hostile, stays within the step budget', () => {
    fc.assert(fc.property(fc.oneof(ruleArb, hostileRuleArb), dueArb, zoneArb, (rule, due, zone) => {
      const w = work(() => validateRecurrence(rule, due, zone));
      assert.ok(w.steps <= allowed(w.yields), `${rule}: ${w.steps} steps for ${w.yields} yields`);
      // Validation asks for one occurrence after the first: rrule yields at most one period's times before it.
      assert.ok(w.yields <= 24 * 60 + LIMITS.scanYields, `${rule}: ${w.yields} yields`);
    }), { numRuns: 150 });
  });

  it('the next occurrence far from the start stays within the step budget', () => {
    fc.assert(fc.property(fc.oneof(ruleArb, hostileRuleArb), dueArb, zoneArb, fc.integer({ min: 1, max: 20 * 365 }), (rule, due, zone, days) => {
      fc.pre(validateRecurrence(rule, due, zone).ok);
      const w = work(() => nextOccurrence({ rule, zone, dtstartUtc: due, afterUtc: new Date(due.getTime() + days * 86_400_000) }));
      assert.ok(w.steps <= allowed(w.yields), `${rule}: ${w.steps} steps for ${w.yields} yields`);
    }), { numRuns: 100 });
  });

  it('refuses the rules whose parts contradict each other before any step', () => {
    for (const rule of [
      'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;BYMONTH=1;BYMONTHDAY=31',
      'FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6',
      'FREQ=YEARLY;BYWEEKNO=20;BYYEARDAY=1',
      'FREQ=HOURLY;BYMONTH=1;BYYEARDAY=200',
      'FREQ=MINUTELY;BYMONTH=3;BYYEARDAY=-1',
      'FREQ=DAILY;INTERVAL=7;BYDAY=TU',
    ]) {
      const answers: Array<ReturnType<typeof validateRecurrence>> = [];
      const w = work(() => answers.push(validateRecurrence(rule, new Date('2026-12-03T09:00:00Z'), 'Europe/Berlin')));
      const v = answers[0];
      assert.equal(v.ok, false, rule);
      assert.match(v.ok ? '' : v.details[0].message, /^never (happens|repeats)/, rule);
      assert.equal(w.steps, 0, `${rule} was refused only after ${w.steps} steps`);
    }
  });

  it('walks a rare rule of a fine frequency by years: FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO takes one period a year', () => {
    const found: Array<Date | null> = [];
    const w = work(() => {
      found.push(nextOccurrence({ rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', zone: 'UTC', dtstartUtc: new Date('2026-01-01T09:00:00Z'), afterUtc: new Date('2026-01-01T09:00:00Z') }));
    });
    assert.deepEqual(found[0], new Date('2044-02-29T09:00:00Z'));
    // rrule reads INTERVAL twice a period and a YEARLY period weighs 4: 8 steps a year for the 19
    // years walked (as DAILY it would be 2 a day, some 13,900 steps: past the budget, refused).
    assert.ok(w.steps <= 8 * 19, `${w.steps} steps`);
  });

  it('refuses as contradictory exactly the pairs of day parts rrule finds no day for in 2000–2028 (a whole 28-year cycle of the Gregorian calendar: every kind of year, after every kind it follows)', function () {
    // 228 rrule walks of 28 years: about 40 s on this project's 2-core machine, more when it is loaded.
    this.timeout(240_000);
    const base: RecurrenceRule = { freq: 'YEARLY', interval: 1, count: null, until: null, byDay: null, byMonthDay: null, byMonth: null, byYearDay: null, byWeekNo: null, bySetPos: null, byHour: null, byMinute: null, wkst: 'MO' };
    const rules: RecurrenceRule[] = [];
    for (let m = 1; m <= 12; m++) {
      for (const w of [1, 2, 5, 9, 20, 27, 40, 52, 53, -1]) rules.push({ ...base, byMonth: [m], byWeekNo: [w] });
      for (const d of [1, 32, 60, 61, 200, 365, 366, -1, -366]) rules.push({ ...base, byMonth: [m], byYearDay: [d] });
    }
    for (const r of rules) {
      const text = `BYMONTH=${r.byMonth};BYWEEKNO=${r.byWeekNo};BYYEARDAY=${r.byYearDay}`;
      const days = new RRule({
        freq: RFreq.YEARLY, dtstart: new Date(Date.UTC(2000, 0, 1)), until: new Date(Date.UTC(2029, 0, 1)), wkst: WEEKDAYS.indexOf(r.wkst),
        bymonth: r.byMonth ? [...r.byMonth] : null, byyearday: r.byYearDay ? [...r.byYearDay] : null, byweekno: r.byWeekNo ? [...r.byWeekNo] : null,
        byweekday: WEEKDAYS.map((_, i) => new RWeekday(i)), byhour: [0], byminute: [0], bysecond: [0],
      }).all((_d, i) => i < 1);
      assert.equal(contradictionProblem(r) !== null, days.length === 0, `${text}: refused ${contradictionProblem(r) !== null}, rrule finds ${days.length ? days[0].toISOString() : 'nothing'}`);
    }
  });
});
