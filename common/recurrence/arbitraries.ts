/**
 * fast-check generators for the engine's property tests (test-only; nothing in index.ts uses it).
 * The rules are valid RRULE values built part by part within RFC 5545's cross-part rules, in the
 * shapes tasks use; some never repeat from a given start, so properties filter with
 * validateRecurrence as the actor would.
 */
import fc from 'fast-check';
import { WEEKDAYS } from './ruleParser';

/** DST in both hemispheres, half- and quarter-hour offsets, a 30-minute DST, a skipped day (Apia, 2011), none at all. */
export const ZONES = [
  'UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe',
  'Pacific/Chatham', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Apia', 'Europe/London', 'America/Santiago',
] as const;

export const zoneArb = fc.constantFrom(...ZONES);

/** Instants between 1990 and 2060 at whole seconds. */
export const instantArb = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }).map((s) => new Date(s * 1000));

/** Instants at whole minutes (due times as people set them). */
export const dueArb = fc.integer({ min: Date.UTC(1995, 0, 1) / 60_000, max: Date.UTC(2045, 0, 1) / 60_000 }).map((m) => new Date(m * 60_000));

const weekday = fc.constantFrom(...WEEKDAYS);
const weekdays = fc.uniqueArray(weekday, { minLength: 1, maxLength: 4 });
const list = (arb: fc.Arbitrary<number>, max = 3) => fc.uniqueArray(arb, { minLength: 1, maxLength: max }).map((a) => a.join(','));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function join(parts: Array<string | undefined>): string {
  return parts.filter((p): p is string => p !== undefined).join(';');
}

const yearly = fc.record({
  interval: fc.integer({ min: 1, max: 3 }),
  days: fc.oneof(
    fc.record({
      byMonth: optional(list(fc.integer({ min: 1, max: 12 }))),
      byMonthDay: optional(list(fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constant(-1)), 2)),
    }).map((r) => join([r.byMonth && `BYMONTH=${r.byMonth}`, r.byMonthDay && `BYMONTHDAY=${r.byMonthDay}`])),
    fc.tuple(optional(list(fc.integer({ min: 1, max: 12 }))), fc.constantFrom(1, 2, -1, 20), weekday)
      .map(([m, n, d]) => join([m && `BYMONTH=${m}`, `BYDAY=${n}${d}`])),
    fc.tuple(list(fc.oneof(fc.integer({ min: 1, max: 52 }), fc.constant(-1)), 2), optional(weekdays))
      .map(([w, d]) => join([`BYWEEKNO=${w}`, d && `BYDAY=${d.join(',')}`])),
    list(fc.oneof(fc.integer({ min: 1, max: 365 }), fc.constant(-1)), 3).map((v) => `BYYEARDAY=${v}`),
  ),
}).map((r) => join(['FREQ=YEARLY', r.interval > 1 ? `INTERVAL=${r.interval}` : undefined, r.days || undefined]));

const monthly = fc.record({
  interval: fc.integer({ min: 1, max: 4 }),
  day: fc.oneof(
    fc.constant(undefined),
    list(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -3, max: -1 })), 3).map((v) => `BYMONTHDAY=${v}`),
    fc.tuple(fc.constantFrom(1, 2, 3, 4, -1, -2), weekday).map(([n, d]) => `BYDAY=${n}${d}`),
    fc.tuple(weekdays, fc.constantFrom(1, 2, -1)).map(([d, p]) => `BYDAY=${d.join(',')};BYSETPOS=${p}`),
  ),
}).map((r) => join(['FREQ=MONTHLY', r.interval > 1 ? `INTERVAL=${r.interval}` : undefined, r.day]));

const weekly = fc.record({
  interval: fc.integer({ min: 1, max: 4 }),
  byDay: optional(weekdays),
  wkst: optional(weekday),
}).map((r) => join(['FREQ=WEEKLY', r.interval > 1 ? `INTERVAL=${r.interval}` : undefined, r.byDay && `BYDAY=${r.byDay.join(',')}`, r.wkst && `WKST=${r.wkst}`]));

const daily = fc.record({
  interval: fc.integer({ min: 1, max: 10 }),
  byDay: optional(weekdays),
  byHour: optional(list(fc.integer({ min: 0, max: 23 }))),
  byMinute: optional(list(fc.integer({ min: 0, max: 59 }), 2)),
}).map((r) => join(['FREQ=DAILY', r.interval > 1 ? `INTERVAL=${r.interval}` : undefined, r.byDay && `BYDAY=${r.byDay.join(',')}`, r.byHour && `BYHOUR=${r.byHour}`, r.byMinute && `BYMINUTE=${r.byMinute}`]));

const hourly = fc.record({
  interval: fc.integer({ min: 1, max: 30 }),
  byMinute: optional(list(fc.integer({ min: 0, max: 59 }), 3)),
  byHour: optional(list(fc.integer({ min: 0, max: 23 }), 6)),
}).map((r) => join(['FREQ=HOURLY', r.byHour ? undefined : `INTERVAL=${r.interval}`, r.byHour && `BYHOUR=${r.byHour}`, r.byMinute && `BYMINUTE=${r.byMinute}`]));

const minutely = fc.integer({ min: 1, max: 200 }).map((n) => `FREQ=MINUTELY;INTERVAL=${n}`);

/** A rule without COUNT or UNTIL. */
export const openRuleArb = fc.oneof(yearly, monthly, weekly, daily, hourly, minutely);

/** Daily or weekly rules that take their time of day from the start (no BYHOUR or BYMINUTE). */
export const timeKeepingRuleArb = fc.oneof(
  fc.record({ interval: fc.integer({ min: 1, max: 10 }), byDay: optional(weekdays) })
    .map((r) => join(['FREQ=DAILY', `INTERVAL=${r.interval}`, r.byDay && `BYDAY=${r.byDay.join(',')}`])),
  weekly,
);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** UNTIL in its three forms: a UTC instant, a local date, a local date-time. */
export const untilArb = fc.tuple(instantArb, fc.constantFrom('instant', 'date', 'local')).map(([d, form]) => {
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return form === 'date' ? date : form === 'local' ? `${date}${time}` : `${date}${time}Z`;
});

/** Any rule, sometimes ended by COUNT or UNTIL. */
export const ruleArb = fc.tuple(openRuleArb, fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 1, max: 40 }).map((n) => `COUNT=${n}`),
  untilArb.map((u) => `UNTIL=${u}`),
)).map(([rule, end]) => join([rule, end]));
