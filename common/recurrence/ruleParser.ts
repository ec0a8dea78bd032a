/**
 * Strict parsing of a task's recurrence rule: the value of an RFC 5545 RRULE (§3.3.10), like
 * "FREQ=WEEKLY;BYDAY=MO,WE", with an optional "RRULE:" in front.
 *
 * Not rrule's RRule.parseString: it accepts FREQ=FOO (no frequency at all), BYMONTH=13,
 * BYDAY=XX and BYHOUR=abc without a word, and its errors name no part. Here every part is checked
 * against the RFC's ranges and cross-part rules, and each problem is one message naming the part.
 * What this parser accepts, rrule expands (rruleBridge.ts hands it the parsed fields). Lists come
 * out sorted and without repeats: rrule yields a period's times in the order a list gives them
 * (BYHOUR=17,9 would give 17:00 before 09:00) and repeats a repeated value.
 *
 * Refused beyond the RFC, on purpose:
 * - DTSTART and TZID: the series starts at the task's due time, in the task's zone.
 * - FREQ=SECONDLY and BYSECOND: a task recurs at most once a minute.
 * - BYHOUR with FREQ=MINUTELY: rrule can loop forever on it (it steps hours by the carry of
 *   the minutes, so some hours are never reached); FREQ=HOURLY;BYHOUR=..;BYMINUTE=.. says the same.
 * - COUNT above LIMITS.maxCount, INTERVAL above LIMITS.maxInterval.
 */
import { LIMITS } from './limits';
import { daysInMonth, isValidWallClock, type WallClock } from './wallClock';
import { contradictionProblem } from './feasibility';

export const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Monday first: index = rrule's weekday number. */
import { WEEKDAYS, type Weekday } from './weekdays';

export { WEEKDAYS, type Weekday };

export interface ByDay {
  readonly weekday: Weekday;
  /** 2 in 2MO (the second Monday), -1 in -1FR (the last Friday); absent for every such weekday. */
  readonly ordinal?: number;
}

export type Until =
  /** UNTIL=20261231T235959Z: an instant, the RFC's form for a zoned series. */
  | { readonly kind: 'instant'; readonly instant: Date }
  /**
   * UNTIL=20261231 (a date) or UNTIL=20261231T170000 (no Z): read in the task's zone, as the last
   * wall-clock time of the series (for a date, its end, 23:59:59).
   */
  | { readonly kind: 'wallClock'; readonly wall: WallClock };

export interface RecurrenceRule {
  readonly freq: Frequency;
  readonly interval: number;
  readonly count: number | null;
  readonly until: Until | null;
  readonly byDay: readonly ByDay[] | null;
  readonly byMonthDay: readonly number[] | null;
  readonly byMonth: readonly number[] | null;
  readonly byYearDay: readonly number[] | null;
  readonly byWeekNo: readonly number[] | null;
  readonly bySetPos: readonly number[] | null;
  readonly byHour: readonly number[] | null;
  readonly byMinute: readonly number[] | null;
  readonly wkst: Weekday;
}

export type ParsedRule = { ok: true; rule: RecurrenceRule } | { ok: false; problems: string[] };

const PARTS = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYYEARDAY', 'BYWEEKNO', 'BYSETPOS', 'BYHOUR', 'BYMINUTE', 'WKST'] as const;
type Part = (typeof PARTS)[number];

const REFUSED: Record<string, string> = {
  DTSTART: 'DTSTART does not belong in the rule: the series starts at the task\'s due time',
  TZID: 'TZID does not belong in the rule: the rule is expanded in the task\'s timezone',
  BYSECOND: 'BYSECOND is not supported: a task recurs at most once a minute, at the seconds of its due time',
  BYEASTER: 'BYEASTER is not an RFC 5545 rule part',
};

/** "1,-1,15" → numbers each in [min, max] (0 excluded when signed), no duplicates, ascending. */
function numberList(part: Part, value: string, min: number, max: number, signed: boolean, problems: string[]): number[] | null {
  const out = new Set<number>();
  for (const item of value.split(',')) {
    const n = /^[+-]?\d{1,4}$/.test(item) ? Number(item) : NaN;
    const inRange = signed ? n !== 0 && Math.abs(n) >= min && Math.abs(n) <= max : n >= min && n <= max;
    if (!Number.isInteger(n) || !inRange || (!signed && /^[+-]/.test(item))) {
      problems.push(`${part}=${value}: each value must be a whole number from ${signed ? `${min} to ${max} or -${max} to -${min}` : `${min} to ${max}`}`);
      return null;
    }
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function positiveInt(part: Part, value: string, max: number, problems: string[]): number | null {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) {
    problems.push(`${part}=${value}: must be a whole number from 1 to ${max}`);
    return null;
  }
  return n;
}

function parseUntil(value: string, problems: string[]): Until | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  const bad = () => {
    problems.push(`UNTIL=${value}: must be a UTC date-time like 20261231T235959Z, a date like 20261231, or a local date-time like 20261231T170000`);
    return null;
  };
  if (!m) return bad();
  const dateOnly = m[4] === undefined;
  const wall: WallClock = {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: dateOnly ? 23 : Number(m[4]), minute: dateOnly ? 59 : Number(m[5]), second: dateOnly ? 59 : Number(m[6]),
  };
  if (!isValidWallClock(wall) || wall.year < LIMITS.minYear || wall.year > LIMITS.maxYear) return bad();
  if (m[7] === 'Z') return { kind: 'instant', instant: new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)) };
  return { kind: 'wallClock', wall };
}

function parseByDay(value: string, problems: string[]): ByDay[] | null {
  const out: ByDay[] = [];
  for (const item of value.split(',')) {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    const ordinal = m?.[1] === undefined ? undefined : Number(m[1]);
    if (!m || (ordinal !== undefined && (ordinal === 0 || Math.abs(ordinal) > 53))) {
      problems.push(`BYDAY=${value}: each value must be a weekday (MO, TU, WE, TH, FR, SA, SU), optionally preceded by an ordinal from 1 to 53 or -53 to -1 (2MO, -1FR)`);
      return null;
    }
    const day: ByDay = ordinal === undefined ? { weekday: m[2] as Weekday } : { weekday: m[2] as Weekday, ordinal };
    if (!out.some((d) => d.weekday === day.weekday && d.ordinal === day.ordinal)) out.push(day);
  }
  return out;
}

/** RFC 5545's rules across parts, and the engine's own refusals that need more than one part. */
function crossPartProblems(r: RecurrenceRule, given: ReadonlySet<Part>): string[] {
  const problems: string[] = [];
  const has = (p: Part) => given.has(p);
  if (has('COUNT') && has('UNTIL')) problems.push('COUNT and UNTIL cannot both be given (RFC 5545): the series ends by one or the other');
  if (r.byDay?.some((d) => d.ordinal !== undefined)) {
    if (r.freq !== 'MONTHLY' && r.freq !== 'YEARLY') problems.push(`BYDAY: an ordinal weekday like 2MO or -1FR needs FREQ=MONTHLY or FREQ=YEARLY, not FREQ=${r.freq}`);
    else if (r.freq === 'YEARLY' && has('BYWEEKNO')) problems.push('BYDAY: an ordinal weekday cannot be combined with BYWEEKNO (RFC 5545)');
    else if (r.freq === 'MONTHLY' && r.byDay.some((d) => d.ordinal !== undefined && Math.abs(d.ordinal) > 5)) problems.push('BYDAY: in a monthly rule an ordinal weekday must be 1 to 5 or -5 to -1 (a month has at most five of each weekday)');
  }
  if (has('BYMONTHDAY') && r.freq === 'WEEKLY') problems.push('BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)');
  if (has('BYYEARDAY') && (r.freq === 'DAILY' || r.freq === 'WEEKLY' || r.freq === 'MONTHLY')) problems.push(`BYYEARDAY cannot be used with FREQ=${r.freq} (RFC 5545)`);
  if (has('BYWEEKNO') && r.freq !== 'YEARLY') problems.push('BYWEEKNO can only be used with FREQ=YEARLY (RFC 5545)');
  if (has('BYSETPOS') && !PARTS.some((p) => p.startsWith('BY') && p !== 'BYSETPOS' && has(p))) problems.push('BYSETPOS needs another BYxxx part to pick from (RFC 5545), e.g. BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1');
  if (has('BYHOUR') && r.freq === 'MINUTELY') problems.push('BYHOUR cannot be used with FREQ=MINUTELY; write FREQ=HOURLY;BYHOUR=..;BYMINUTE=.. instead (e.g. every 15 minutes from 9 to 17: FREQ=HOURLY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,15,30,45)');
  if (r.byMonth && r.byMonthDay && r.byMonth.every((m) => r.byMonthDay?.every((d) => Math.abs(d) > daysInMonth(2000, m)))) {
    problems.push(`never happens: no month in BYMONTH=${r.byMonth.join(',')} has a day BYMONTHDAY=${r.byMonthDay.join(',')}`);
  } else if (problems.length === 0) {
    const contradiction = contradictionProblem(r);
    if (contradiction) problems.push(contradiction);
  }
  return problems;
}

/** Parses and checks a rule. Every problem found is reported, each naming its part. */
export function parseRule(text: unknown): ParsedRule {
  if (typeof text !== 'string') return { ok: false, problems: ['must be a string like FREQ=WEEKLY;BYDAY=MO,WE'] };
  if (text.length > LIMITS.maxRuleLength) return { ok: false, problems: [`is longer than ${LIMITS.maxRuleLength} characters`] };
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (body === '') return { ok: false, problems: ['is empty; a rule looks like FREQ=WEEKLY;BYDAY=MO,WE'] };
  if (/\s/.test(body)) return { ok: false, problems: ['must be one RRULE value like FREQ=WEEKLY;BYDAY=MO,WE, without spaces or line breaks (no DTSTART, EXDATE or RDATE lines)'] };

  const problems: string[] = [];
  const values = new Map<Part, string>();
  for (const item of body.split(';')) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (Object.hasOwn(REFUSED, name)) problems.push(REFUSED[name]);
    else if (!(PARTS as readonly string[]).includes(name)) problems.push(`${name || '(empty part)'} is not a recurrence rule part; the parts are ${PARTS.join(', ')}`);
    else if (eq < 0 || value === '' || value.includes('=')) problems.push(`${name}: must be written ${name}=value`);
    else if (values.has(name as Part)) problems.push(`${name} is given twice`);
    else values.set(name as Part, value);
  }

  const freqText = values.get('FREQ');
  let freq: Frequency | null = null;
  if (freqText === undefined) problems.push('FREQ is required, e.g. FREQ=DAILY');
  else if (freqText === 'SECONDLY') problems.push('FREQ=SECONDLY would fire more often than once a minute; the most frequent rule is FREQ=MINUTELY');
  else if (!(FREQUENCIES as readonly string[]).includes(freqText)) problems.push(`FREQ=${freqText}: must be one of ${FREQUENCIES.join(', ')}`);
  else freq = freqText as Frequency;

  const get = <T>(part: Part, parse: (value: string) => T | null): T | null => {
    const v = values.get(part);
    return v === undefined ? null : parse(v);
  };
  const wkstText = values.get('WKST');
  if (wkstText !== undefined && !(WEEKDAYS as readonly string[]).includes(wkstText)) problems.push(`WKST=${wkstText}: must be a weekday (MO, TU, WE, TH, FR, SA, SU)`);
  const rule: RecurrenceRule = {
    freq: freq ?? 'DAILY',
    interval: get('INTERVAL', (v) => positiveInt('INTERVAL', v, LIMITS.maxInterval, problems)) ?? 1,
    count: get('COUNT', (v) => positiveInt('COUNT', v, LIMITS.maxCount, problems)),
    until: get('UNTIL', (v) => parseUntil(v, problems)),
    byDay: get('BYDAY', (v) => parseByDay(v, problems)),
    byMonthDay: get('BYMONTHDAY', (v) => numberList('BYMONTHDAY', v, 1, 31, true, problems)),
    byMonth: get('BYMONTH', (v) => numberList('BYMONTH', v, 1, 12, false, problems)),
    byYearDay: get('BYYEARDAY', (v) => numberList('BYYEARDAY', v, 1, 366, true, problems)),
    byWeekNo: get('BYWEEKNO', (v) => numberList('BYWEEKNO', v, 1, 53, true, problems)),
    bySetPos: get('BYSETPOS', (v) => numberList('BYSETPOS', v, 1, 366, true, problems)),
    byHour: get('BYHOUR', (v) => numberList('BYHOUR', v, 0, 23, false, problems)),
    byMinute: get('BYMINUTE', (v) => numberList('BYMINUTE', v, 0, 59, false, problems)),
    wkst: (WEEKDAYS as readonly string[]).includes(wkstText ?? '') ? (wkstText as Weekday) : 'MO',
  };
  if (freq) problems.push(...crossPartProblems(rule, new Set(values.keys())));
  return problems.length ? { ok: false, problems } : { ok: true, rule };
}
