/**
 * The one place that drives rrule. Everything here is wall-clock time as fake UTC (wallClock.ts):
 * rrule gets no zone, so it expands "every day at 09:00" as 09:00 every day, which is what the
 * task means in its own zone; expand.ts turns each result into an instant.
 *
 * Three things rrule does not do on its own, and this file adds:
 *
 * 1. Starting anywhere in a series. rrule fills parts the rule leaves out from DTSTART (FREQ=MONTHLY
 *    repeats DTSTART's day of the month, FREQ=WEEKLY its weekday, and every rule its time of day),
 *    and applies BYSETPOS to the first week only from DTSTART on. So each series' defaults are made
 *    explicit from the series' start, and rrule is started at the beginning of a period of the
 *    series' grid (a year, month, week, day, hour or minute, INTERVAL periods apart counted from
 *    the series' start). A series expanded from any later period then yields exactly what the
 *    whole series yields from there on: occurrence N can re-anchor the series, and a far-away
 *    "next after" need not walk the years in between.
 *
 * 2. A bound on the work. rrule's loop stops only when it yields a date or passes year 9999: a
 *    rule that never matches (BYMONTH=2;BYMONTHDAY=30 is caught earlier, but BYSETPOS and weekday
 *    combinations can be just as empty) keeps the CPU for about 15 s. The loop reads
 *    options.interval at every period; a getter there counts the reads and throws past
 *    LIMITS.rruleSteps. (A test pins this down, so an rrule upgrade that changes the loop shows up.)
 *
 * 3. A guard against rrule's endless inner loops. For FREQ=HOURLY with BYHOUR, rrule adds INTERVAL
 *    hours until the hour is in BYHOUR, forever if none can be reached (INTERVAL=2;BYHOUR=9 from an
 *    even hour); FREQ=MINUTELY with BYMINUTE likewise. These are refused before rrule runs
 *    (terminationProblem). BYHOUR with FREQ=MINUTELY, which rrule gets wrong beyond repair, is
 *    refused by the parser.
 */
import { Frequency as RFreq, RRule, Weekday as RWeekday, type Options } from 'rrule';
import { RecurrenceLimitError } from './errors';
import { LIMITS } from './limits';
import { WEEKDAYS, type RecurrenceRule } from './ruleParser';
import { DAY_MS, HOUR_MS, MINUTE_MS, fakeUtcToWallClock, wallClockToFakeUtc, weekdayOf, type WallClock } from './wallClock';

const RRULE_FREQ: Record<RecurrenceRule['freq'], RFreq> = {
  YEARLY: RFreq.YEARLY, MONTHLY: RFreq.MONTHLY, WEEKLY: RFreq.WEEKLY, DAILY: RFreq.DAILY, HOURLY: RFreq.HOURLY, MINUTELY: RFreq.MINUTELY,
};

/** Coarsest first, as rrule numbers them (YEARLY = 0). */
const FREQ_ORDER: readonly RecurrenceRule['freq'][] = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY'];

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Why rrule would never return from this rule started at `start` (see 3. above), or null. The
 * hours (minutes of the day) rrule can reach are those congruent to the start's modulo
 * gcd(INTERVAL, 24) (gcd(INTERVAL, 1440)); every occurrence of a series stays in that class, so
 * the check holds for the whole series once it holds for its start.
 */
export function terminationProblem(rule: RecurrenceRule, start: WallClock): string | null {
  if (rule.freq === 'HOURLY' && rule.byHour) {
    const g = gcd(rule.interval, 24);
    if (!rule.byHour.some((h) => (h - start.hour) % g === 0)) {
      return `never happens: every ${rule.interval} hours from ${start.hour}:00 reaches no hour in BYHOUR=${rule.byHour.join(',')}`;
    }
  }
  if (rule.freq === 'MINUTELY' && rule.byMinute) {
    const g = gcd(rule.interval, 1440);
    const t0 = start.hour * 60 + start.minute;
    let reachable = false;
    for (let t = t0 % g; t < 1440 && !reachable; t += g) reachable = rule.byMinute.includes(t % 60);
    if (!reachable) return `never happens: every ${rule.interval} minutes from ${start.hour}:${String(start.minute).padStart(2, '0')} reaches no minute in BYMINUTE=${rule.byMinute.join(',')}`;
  }
  return null;
}

/**
 * Why a series started at `start` never has a second occurrence, when that is plain from the rule
 * and the start alone (no search): every 7k days from a Sunday is a Sunday, so
 * FREQ=DAILY;INTERVAL=7;BYDAY=MO never happens from one.
 */
export function gridProblem(rule: RecurrenceRule, start: WallClock): string | null {
  const wd = weekdayOf(start);
  if (rule.freq === 'DAILY' && rule.interval % 7 === 0 && rule.byDay && !rule.byDay.some((d) => WEEKDAYS.indexOf(d.weekday) === wd)) {
    return `never repeats: every ${rule.interval} days from a ${WEEKDAYS[wd]} is always a ${WEEKDAYS[wd]}, not in BYDAY=${rule.byDay.map((d) => d.weekday).join(',')}`;
  }
  return null;
}

/** The rule's parts for rrule, with every default rrule would take from DTSTART taken from `start` instead. */
export function rruleOptions(rule: RecurrenceRule, start: WallClock): Partial<Options> {
  const weekdays = rule.byDay?.map((d) => new RWeekday(WEEKDAYS.indexOf(d.weekday), d.ordinal)) ?? null;
  let byMonth = rule.byMonth ? [...rule.byMonth] : null;
  let byMonthDay = rule.byMonthDay ? [...rule.byMonthDay] : null;
  let byWeekday: RWeekday[] | null = weekdays;
  // RFC 5545: with no day-choosing part, the day comes from DTSTART.
  if (!rule.byWeekNo && !rule.byYearDay && !rule.byMonthDay && !rule.byDay) {
    if (rule.freq === 'YEARLY') {
      byMonth = byMonth ?? [start.month];
      byMonthDay = [start.day];
    } else if (rule.freq === 'MONTHLY') byMonthDay = [start.day];
    else if (rule.freq === 'WEEKLY') byWeekday = [new RWeekday(weekdayOf(start))];
  }
  const coarserThan = (f: RecurrenceRule['freq']) => FREQ_ORDER.indexOf(rule.freq) < FREQ_ORDER.indexOf(f);
  return {
    freq: RRULE_FREQ[rule.freq],
    interval: rule.interval,
    wkst: WEEKDAYS.indexOf(rule.wkst),
    bymonth: byMonth,
    bymonthday: byMonthDay,
    byyearday: rule.byYearDay ? [...rule.byYearDay] : null,
    byweekno: rule.byWeekNo ? [...rule.byWeekNo] : null,
    byweekday: byWeekday,
    bysetpos: rule.bySetPos ? [...rule.bySetPos] : null,
    byhour: rule.byHour ? [...rule.byHour] : coarserThan('HOURLY') ? [start.hour] : null,
    byminute: rule.byMinute ? [...rule.byMinute] : coarserThan('MINUTELY') ? [start.minute] : null,
    bysecond: [start.second],
    tzid: null,
  };
}

/**
 * The beginning (fake UTC) of the series' period that contains `target`, or of the series' first
 * period when `target` is before `start`. Periods are INTERVAL units apart, counted from the one
 * holding `start`; weeks begin on WKST.
 */
export function periodStart(rule: RecurrenceRule, start: WallClock, target: WallClock): number {
  const n = rule.interval;
  const s = wallClockToFakeUtc(start);
  const t = Math.max(wallClockToFakeUtc(target), s);
  const tw = fakeUtcToWallClock(t);
  const steps = (from: number, to: number) => Math.floor((to - from) / n) * n; // whole INTERVALs, never negative here
  const midnight = (y: number, m: number, d: number) => wallClockToFakeUtc({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 });
  switch (rule.freq) {
    case 'YEARLY':
      return midnight(start.year + steps(start.year, tw.year), 1, 1);
    case 'MONTHLY': {
      const m0 = start.year * 12 + start.month - 1;
      const m = m0 + steps(m0, tw.year * 12 + tw.month - 1);
      return midnight(Math.floor(m / 12), (m % 12) + 1, 1);
    }
    case 'WEEKLY': {
      const week0 = Math.floor(s / DAY_MS) - ((weekdayOf(start) - WEEKDAYS.indexOf(rule.wkst) + 7) % 7);
      const days = Math.floor(t / DAY_MS) - week0;
      return (week0 + Math.floor(days / (7 * n)) * 7 * n) * DAY_MS;
    }
    case 'DAILY': {
      const d0 = Math.floor(s / DAY_MS);
      return (d0 + steps(d0, Math.floor(t / DAY_MS))) * DAY_MS;
    }
    case 'HOURLY': {
      const h0 = Math.floor(s / HOUR_MS);
      return (h0 + steps(h0, Math.floor(t / HOUR_MS))) * HOUR_MS;
    }
    case 'MINUTELY': {
      const m0 = Math.floor(s / MINUTE_MS);
      return (m0 + steps(m0, Math.floor(t / MINUTE_MS))) * MINUTE_MS;
    }
  }
}

class StepBudgetExhausted extends Error {}

/**
 * The work done by every walk so far, in steps of rrule's loop (a YEARLY period counts four times: its
 * dayset is a year). Only read by tests and benches, which measure the work of a call as the
 * difference across it: counting steps, not time, is what makes the bound testable.
 */
export const WORK_METER = { steps: 0, yields: 0 };

/**
 * Whether the rule can be walked as FREQ=YEARLY with the same parts, yielding exactly the same
 * times: INTERVAL=1 (no grid to keep), no BYSETPOS (which picks within each period), no ordinal
 * weekday (which counts within a month), and a part that leaves most periods empty (BYMONTH,
 * BYMONTHDAY, BYYEARDAY), so that walking by years saves steps. FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29
 * then takes one step a year, not one a day.
 */
function walksAsYearly(rule: RecurrenceRule): boolean {
  return rule.interval === 1 && !rule.bySetPos && !rule.byDay?.some((d) => d.ordinal !== undefined)
    && ['MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'].includes(rule.freq)
    && (rule.byMonth !== null || rule.byMonthDay !== null || rule.byYearDay !== null);
}

const EVERY_HOUR = Array.from({ length: 24 }, (_, h) => h);
const EVERY_WEEKDAY = WEEKDAYS.map((_, i) => new RWeekday(i));

export type WalkEnd =
  /** `visit` asked to stop. */
  | 'stopped'
  /** rrule ran out of dates (it stops after year 9999). */
  | 'ended';

/**
 * Calls `visit` with the series' wall-clock times (fake UTC, ascending) from the period holding
 * `from` on, until `visit` returns false or rrule has no more. The series is `rule` with its
 * defaults taken from `start`; times before `start` are never visited, times before `from` may be.
 * Throws RecurrenceLimitError when rrule's loop takes more than LIMITS.rruleSteps steps beyond
 * one per time it yields: the search for a time that comes too rarely, or never, is bounded,
 * and a series that yields pays only for what it yields (COUNT ≤ LIMITS.maxCount bounds that).
 */
export function walkWallClock(rule: RecurrenceRule, start: WallClock, from: WallClock, visit: (fakeUtc: number) => boolean): WalkEnd {
  const startMs = wallClockToFakeUtc(start);
  const options = rruleOptions(rule, start);
  if (walksAsYearly(rule)) {
    options.freq = RFreq.YEARLY;
    options.byhour ??= EVERY_HOUR;
    // Without a day-choosing part rrule would take one from DTSTART: every weekday is the same as none.
    if (!options.byweekday && !options.bymonthday && !options.byyearday) options.byweekday = EVERY_WEEKDAY;
  }
  const r = new RRule({ ...options, dtstart: new Date(periodStart(rule, start, from)) }, true);
  const interval = r.options.interval;
  const weight = r.options.freq === RFreq.YEARLY ? 4 : 1; // a year's dayset costs about four periods of the others
  let steps = 0;
  let yielded = 0;
  Object.defineProperty(r.options, 'interval', {
    enumerable: true,
    get() {
      // Checked before the step is taken, so a walk never goes past its budget (a YEARLY step weighs 4).
      if (steps + weight > LIMITS.rruleSteps + 2 * yielded) throw new StepBudgetExhausted();
      steps += weight;
      WORK_METER.steps += weight;
      return interval;
    },
  });
  let stopped = false;
  try {
    r.all((d) => {
      yielded += 1;
      WORK_METER.yields += 1;
      const ms = d.getTime();
      if (ms < startMs) return true;
      stopped = !visit(ms);
      return !stopped;
    });
  } catch (err) {
    if (err instanceof StepBudgetExhausted) {
      throw new RecurrenceLimitError(`the rule matches too rarely: no occurrence within ${LIMITS.rruleSteps / 2} periods`);
    }
    throw err;
  }
  return stopped ? 'stopped' : 'ended';
}
