/**
 * The recurrence grammar (the rrule package's fromText reads only part of this). Phrases, with
 * N a number in digits or words and D an ordinal day (1st, 15th, first):
 *
 *   every hour|day|week|month|year|fortnight|quarter  daily, weekly, monthly, yearly, annually, fortnightly, quarterly
 *   every N hours|days|weeks|months|years             every other day|week|month|year
 *   every weekday|workday|business day              → WEEKLY;BYDAY=MO,TU,WE,TH,FR   (every weekend → SA,SU)
 *   every morning|afternoon|evening|night           → DAILY, at that part of the day
 *   every monday [and wednesday …]                  every other friday    on mondays [and thursdays]
 *   every week on monday [and …]                    every 2 weeks on friday
 *   every month on the D [and D]                    every D [of the month]      on the D of every month
 *   every month on the last day                     on the last day of every month       → BYMONTHDAY=-1
 *   every first|second|…|last monday [of the month] on the first monday of every month  → BYDAY=1MO
 *   every year on june 12                           every june 12, every 12th of june    → BYMONTH=6;BYMONTHDAY=12
 *
 * `every!` (no space) marks a series that repeats from completion. An adverb (daily, weekly …) only
 * counts when no noun follows it ("weekly report" is a title). Only the first phrase is read.
 */
import { monthOf, weekdayOf } from './calendarWords';
import { numberOf, ordinalOf } from './numbers';
import { tokenize, type Token } from './tokens';

export type Freq = 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface ByDay {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** 1..5 for the first … fifth of the month, -1 for the last; absent for every such day. */
  nth?: number;
}

export interface RuleParts {
  freq: Freq;
  interval: number;
  byDay?: ByDay[];
  byMonthDay?: number[];
  byMonth?: number;
}

export interface RecurrenceMatch {
  parts: RuleParts;
  /** True for `every!`. */
  completion: boolean;
  /** The phrase's characters in the message. */
  start: number;
  end: number;
}

const UNITS: Record<string, { freq: Freq; mult: number }> = {
  hour: { freq: 'HOURLY', mult: 1 }, hours: { freq: 'HOURLY', mult: 1 },
  day: { freq: 'DAILY', mult: 1 }, days: { freq: 'DAILY', mult: 1 },
  week: { freq: 'WEEKLY', mult: 1 }, weeks: { freq: 'WEEKLY', mult: 1 },
  fortnight: { freq: 'WEEKLY', mult: 2 }, fortnights: { freq: 'WEEKLY', mult: 2 },
  month: { freq: 'MONTHLY', mult: 1 }, months: { freq: 'MONTHLY', mult: 1 },
  quarter: { freq: 'MONTHLY', mult: 3 }, quarters: { freq: 'MONTHLY', mult: 3 },
  year: { freq: 'YEARLY', mult: 1 }, years: { freq: 'YEARLY', mult: 1 },
};

const ADVERBS: Record<string, { freq: Freq; interval: number }> = {
  daily: { freq: 'DAILY', interval: 1 }, weekly: { freq: 'WEEKLY', interval: 1 }, monthly: { freq: 'MONTHLY', interval: 1 },
  yearly: { freq: 'YEARLY', interval: 1 }, annually: { freq: 'YEARLY', interval: 1 }, fortnightly: { freq: 'WEEKLY', interval: 2 },
  biweekly: { freq: 'WEEKLY', interval: 2 }, 'bi-weekly': { freq: 'WEEKLY', interval: 2 }, quarterly: { freq: 'MONTHLY', interval: 3 },
};

/** Words that may follow an adverb ("water plants weekly on monday"); any other word makes it an adjective. */
const AFTER_ADVERB = new Set(['on', 'at', 'from', 'starting', 'beginning', 'until', 'till', 'for', 'after', 'by', 'in', 'every', 'and', 'with', 'due', 'remind', 'tomorrow', 'today', 'p1', 'p2', 'p3', 'p4']);

const WEEKDAYS_MO_FR = [1, 2, 3, 4, 5].map((day) => ({ day }));
const WEEKEND = [6, 0].map((day) => ({ day }));
const SEPARATORS = new Set([',', 'and', '&', 'or', '/']);
const EVERY = new Set(['every', 'each']);

type Step<T> = { value: T; next: number } | undefined;

const at = (t: Token[], i: number): string => (i < t.length ? t[i].text : '');

/** "monday", "mon, wed and fri", "tuesdays & thursdays". */
function weekdayList(t: Token[], i: number): Step<{ days: number[]; plural: boolean }> {
  const first = weekdayOf(at(t, i));
  if (!first) return undefined;
  const days = [first.day];
  let j = i + 1;
  for (;;) {
    if (!SEPARATORS.has(at(t, j))) break;
    let k = j + 1;
    if (at(t, j) === ',' && at(t, k) === 'and') k++;
    const w = weekdayOf(at(t, k));
    if (!w) break;
    if (!days.includes(w.day)) days.push(w.day);
    j = k + 1;
  }
  return { value: { days, plural: first.plural }, next: j };
}

/** An ordinal day of the month written as one: "1st", "15th", "first" (not a bare "15"). */
function dayOrdinal(word: string): number | undefined {
  if (/^\d+$/.test(word)) return undefined;
  const n = ordinalOf(word);
  return n >= 1 && n <= 31 ? n : undefined;
}

/** "1st", "1st and 15th", "1st, 10th and 20th". */
function dayOrdinalList(t: Token[], i: number): Step<number[]> {
  const first = dayOrdinal(at(t, i));
  if (first === undefined) return undefined;
  const days = [first];
  let j = i + 1;
  for (;;) {
    if (!SEPARATORS.has(at(t, j))) break;
    let k = j + 1;
    if (at(t, j) === ',' && at(t, k) === 'and') k++;
    const d = dayOrdinal(at(t, k));
    if (d === undefined) break;
    if (!days.includes(d)) days.push(d);
    j = k + 1;
  }
  return { value: days, next: j };
}

/** "first monday", "last friday", "2nd tuesday". */
function nthWeekday(t: Token[], i: number): Step<ByDay> {
  const w = at(t, i);
  const nth = w === 'last' ? -1 : ordinalOf(w);
  if (!(nth === -1 || (nth >= 1 && nth <= 5))) return undefined;
  const wd = weekdayOf(at(t, i + 1));
  if (!wd || wd.plural) return undefined;
  return { value: { day: wd.day, nth }, next: i + 2 };
}

/** "june 12", "june 12th", "12 june", "12th of june". */
function monthDay(t: Token[], i: number): Step<{ month: number; day: number }> {
  const m = monthOf(at(t, i));
  if (m !== undefined) {
    const d = ordinalOf(at(t, i + 1));
    if (d >= 1 && d <= 31) return { value: { month: m, day: d }, next: i + 2 };
    return undefined;
  }
  const d = ordinalOf(at(t, i));
  if (!(d >= 1 && d <= 31)) return undefined;
  const j = at(t, i + 1) === 'of' ? i + 2 : i + 1;
  const m2 = monthOf(at(t, j));
  return m2 !== undefined ? { value: { month: m2, day: d }, next: j + 1 } : undefined;
}

/** "[of] the month" — optional tail of a monthly anchor. */
function ofTheMonth(t: Token[], i: number): number {
  if (at(t, i) === 'of' && at(t, i + 1) === 'the' && at(t, i + 2) === 'month') return i + 3;
  return i;
}

/** "of every month", "of each other month", "every month", "of every 2 months": the monthly marker after an anchor. */
function everyMonth(t: Token[], i: number): Step<number> {
  let j = at(t, i) === 'of' ? i + 1 : i;
  if (!EVERY.has(at(t, j))) return undefined;
  j++;
  let interval = 1;
  if (at(t, j) === 'other') {
    interval = 2;
    j++;
  } else {
    const n = numberOf(at(t, j));
    if (Number.isInteger(n) && n >= 2 && n <= 999) {
      interval = n;
      j++;
    }
  }
  const w = at(t, j);
  if (w === 'month' || (interval > 1 && w === 'months')) return { value: interval, next: j + 1 };
  return undefined;
}

/** "every year", "each year" after a yearly anchor. */
function everyYear(t: Token[], i: number): number | undefined {
  const j = at(t, i) === 'of' ? i + 1 : i;
  return EVERY.has(at(t, j)) && at(t, j + 1) === 'year' ? j + 2 : undefined;
}

/** "on …" clauses after a frequency: weekdays for weekly, days for monthly, a date for yearly. */
function anchors(t: Token[], i: number, parts: RuleParts): number {
  let j = i;
  for (let round = 0; round < 2; round++) {
    if (at(t, j) !== 'on') break;
    let k = j + 1;
    if (at(t, k) === 'the') k++;
    if (parts.freq === 'WEEKLY' && !parts.byDay) {
      const wl = weekdayList(t, k);
      if (!wl) break;
      parts.byDay = wl.value.days.map((day) => ({ day }));
      j = wl.next;
    } else if (parts.freq === 'MONTHLY' && !parts.byDay && !parts.byMonthDay) {
      if (at(t, k) === 'last' && at(t, k + 1) === 'day') {
        parts.byMonthDay = [-1];
        j = ofTheMonth(t, k + 2);
        continue;
      }
      const nw = nthWeekday(t, k);
      if (nw) {
        parts.byDay = [nw.value];
        j = ofTheMonth(t, nw.next);
        continue;
      }
      const dl = dayOrdinalList(t, k);
      if (!dl) break;
      parts.byMonthDay = dl.value;
      j = ofTheMonth(t, dl.next);
    } else if (parts.freq === 'YEARLY' && !parts.byMonth) {
      const md = monthDay(t, k);
      if (!md) break;
      parts.byMonth = md.value.month;
      parts.byMonthDay = [md.value.day];
      j = md.next;
    } else break;
  }
  return j;
}

/** After "every" / "each": the body of the phrase. */
function everyBody(t: Token[], i: number): Step<RuleParts> {
  let j = i;
  let interval = 1;
  let counted = false;
  if (at(t, j) === 'other') {
    interval = 2;
    counted = true;
    j++;
  } else {
    const n = numberOf(at(t, j));
    const unit = UNITS[at(t, j + 1)];
    if (Number.isInteger(n) && n >= 1 && n <= 999 && !/^an?$/.test(at(t, j)) && unit) {
      interval = n;
      counted = true;
      j++;
    } else {
      const o = ordinalOf(at(t, j));
      if (o >= 2 && o <= 12 && UNITS[at(t, j + 1)] && !at(t, j + 1).endsWith('s')) {
        interval = o;
        counted = true;
        j++;
      }
    }
  }
  const w = at(t, j);
  const unit = UNITS[w];
  if (unit && (counted || !w.endsWith('s'))) {
    const parts: RuleParts = { freq: unit.freq, interval: interval * unit.mult };
    return { value: parts, next: anchors(t, j + 1, parts) };
  }
  if (w === 'weekday' || w === 'weekdays' || w === 'workday' || w === 'workdays' || ((w === 'business' || w === 'working' || w === 'work') && (at(t, j + 1) === 'day' || at(t, j + 1) === 'days'))) {
    return { value: { freq: 'WEEKLY', interval, byDay: WEEKDAYS_MO_FR }, next: w.endsWith('day') || w.endsWith('days') ? j + 1 : j + 2 };
  }
  // "every morning": daily; the part of the day stays in the text for the date reader (09:00, 19:00 …).
  if (!counted && (w === 'morning' || w === 'afternoon' || w === 'evening' || w === 'night')) return { value: { freq: 'DAILY', interval: 1 }, next: j };
  if (w === 'weekend' || w === 'weekends') return { value: { freq: 'WEEKLY', interval, byDay: WEEKEND }, next: j + 1 };
  const wl = weekdayList(t, j);
  if (wl) return { value: { freq: 'WEEKLY', interval, byDay: wl.value.days.map((day) => ({ day })) }, next: wl.next };
  if (counted) return undefined;
  const nw = nthWeekday(t, j);
  if (nw) {
    const m = everyMonth(t, nw.next);
    return { value: { freq: 'MONTHLY', interval: m?.value ?? 1, byDay: [nw.value] }, next: m ? m.next : ofTheMonth(t, nw.next) };
  }
  if (w === 'last' && at(t, j + 1) === 'day') {
    const m = everyMonth(t, j + 2);
    return { value: { freq: 'MONTHLY', interval: m?.value ?? 1, byMonthDay: [-1] }, next: m ? m.next : ofTheMonth(t, j + 2) };
  }
  const md = monthDay(t, j);
  if (md) return { value: { freq: 'YEARLY', interval: 1, byMonth: md.value.month, byMonthDay: [md.value.day] }, next: md.next };
  const dl = dayOrdinalList(t, j);
  if (dl) {
    const m = everyMonth(t, dl.next);
    return { value: { freq: 'MONTHLY', interval: m?.value ?? 1, byMonthDay: dl.value }, next: m ? m.next : ofTheMonth(t, dl.next) };
  }
  return undefined;
}

/** Phrases that put the anchor first: "on the 1st of every month", "the last day of each month", "on june 12 every year", "on mondays". */
function anchorFirst(t: Token[], i: number): Step<RuleParts> {
  let j = i;
  const hasOn = at(t, j) === 'on';
  if (hasOn) j++;
  if (at(t, j) === 'the') j++;
  if (at(t, j) === 'last' && at(t, j + 1) === 'day') {
    const m = everyMonth(t, j + 2);
    if (m) return { value: { freq: 'MONTHLY', interval: m.value, byMonthDay: [-1] }, next: m.next };
  }
  const nw = nthWeekday(t, j);
  if (nw) {
    const m = everyMonth(t, nw.next);
    if (m) return { value: { freq: 'MONTHLY', interval: m.value, byDay: [nw.value] }, next: m.next };
  }
  const md = monthDay(t, j);
  if (md) {
    const y = everyYear(t, md.next);
    if (y !== undefined) return { value: { freq: 'YEARLY', interval: 1, byMonth: md.value.month, byMonthDay: [md.value.day] }, next: y };
  }
  const dl = dayOrdinalList(t, j);
  if (dl) {
    const m = everyMonth(t, dl.next);
    if (m) return { value: { freq: 'MONTHLY', interval: m.value, byMonthDay: dl.value }, next: m.next };
  }
  if (hasOn && at(t, i + 1) !== 'the') {
    const wl = weekdayList(t, i + 1);
    if (wl && wl.value.plural) return { value: { freq: 'WEEKLY', interval: 1, byDay: wl.value.days.map((day) => ({ day })) }, next: wl.next };
  }
  return undefined;
}

function parseAt(t: Token[], i: number): { parts: RuleParts; completion: boolean; next: number } | undefined {
  const w = t[i].text;
  if (EVERY.has(w)) {
    let j = i + 1;
    let completion = false;
    if (at(t, j) === '!' && t[j].start === t[i].end) {
      completion = true;
      j++;
    }
    const body = everyBody(t, j);
    return body ? { parts: body.value, completion, next: body.next } : undefined;
  }
  const adverb = ADVERBS[w];
  if (adverb) {
    const follower = at(t, i + 1);
    if (follower !== '' && /^[\p{L}\p{N}]/u.test(follower) && !AFTER_ADVERB.has(follower)) return undefined;
    const parts: RuleParts = { ...adverb };
    return { parts, completion: false, next: anchors(t, i + 1, parts) };
  }
  if (w === 'on' || w === 'the' || w === 'last' || dayOrdinal(w) !== undefined || monthOf(w) !== undefined) {
    const a = anchorFirst(t, i);
    return a ? { parts: a.value, completion: false, next: a.next } : undefined;
  }
  return undefined;
}

/** The first recurrence phrase in the text, or undefined. */
export function findRecurrence(text: string): RecurrenceMatch | undefined {
  const t = tokenize(text);
  for (let i = 0; i < t.length; i++) {
    const r = parseAt(t, i);
    if (r && r.next > i) return { parts: r.parts, completion: r.completion, start: t[i].start, end: t[r.next - 1].end };
  }
  return undefined;
}
