/**
 * Dates and times in a message, read with chrono-node in the user's zone.
 *
 * chrono works with a fixed UTC offset, not an IANA zone, so it is given the zone's offset at
 * `now` only to compute the calendar date and the time of day the words name; the instant is then
 * computed by zone.ts with the offset in force on that date (so "tomorrow at 9" in Europe/Berlin is
 * 08:00Z in winter and 07:00Z in summer, across a DST change too). Only "in 2 hours"-style
 * phrases and explicit zones ("3pm EST") are exact instants.
 *
 * Readings (documented in README.md):
 *   - a date without a time is at 09:00 local; "today" without a time, once 09:00 has passed, is 23:59;
 *   - a time without a date is today, or tomorrow once it has passed;
 *   - a bare weekday ("friday") is the next one strictly after today; "this/next friday" are chrono's;
 *   - an hour 1–6 without am/pm is pm ("at 5" = 17:00); 7–12 stay as said;
 *   - morning 09:00, afternoon 15:00, evening 19:00, tonight 20:00;
 *   - chrono's bare durations ("2 days" in "buy 2 days of food"), a month alone ("march report"),
 *     bare weekday abbreviations ("sun cream") and parts of the day ("night shift") are not dates;
 *     "in 2 days", "on sat", "every morning", "in the evening" are.
 */
import * as chrono from 'chrono-node';
import { addDays, at, compareDates, isValidDate, weekday, type CivilDate, type TimeOfDay } from './civil';
import { compact, punch, type Span } from './spans';
import { HOLE } from './normalize';
import { instantOf, offsetAt } from './zone';
import type { Zoned } from './zoned';

/** Constructed once (chrono's parsers and refiners are built here, not per message). */
const parser = chrono.casual.clone();

/**
 * chrono's duration pattern ("2 hours 30 minutes") repeats a unit up to ten times with connectors
 * in which one space can be matched two ways, so a run of durations ("30 minutes 30 minutes …")
 * backtracks exponentially. In chrono's copy of the text, the space between a unit and the next
 * number or "and" becomes a comma: same length (indices hold), same meaning, one way to match.
 */
const DURATION_JOINT = /(?<=(?:^|[^\p{L}])(?:secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?|qtrs?|quarters?|y|yrs?|years?)) (?=\d|(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|few|several|couple|and)(?![\p{L}]))/giu;

export const defuse = (text: string): string => text.replace(DURATION_JOINT, ',');

/** What a message says about when: a date, a time of day, or an exact instant. */
export interface When {
  date?: CivilDate;
  time?: TimeOfDay;
  instantMs?: number;
}

export interface DateMention extends When, Span {}

export const DEFAULT_TIME: TimeOfDay = { hour: 9, minute: 0 };
export const END_OF_TODAY: TimeOfDay = { hour: 23, minute: 59 };

const CASUAL_TIMES: Array<[string, TimeOfDay]> = [
  ['casualReference/morning', { hour: 9, minute: 0 }],
  ['casualReference/afternoon', { hour: 15, minute: 0 }],
  ['casualReference/evening', { hour: 19, minute: 0 }],
  ['casualReference/tonight', { hour: 20, minute: 0 }],
  ['casualReference/night', { hour: 20, minute: 0 }],
];

const RELATIVE_OK = /^(?:in|within|\+)\b|^\+|\b(?:from now|later|from today|from tomorrow|after)\b|^(?:next|this|last|coming|the day after)\b/i;
const WEEKDAY_MODIFIER = /\b(?:next|this|last|coming|past)\b/i;
const BARE_ABBREVIATIONS = new Set(['sun', 'sat', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri']);
const DEADLINE_WORD = /(?:^|[^\p{L}])(?:on|by|due|until|till|before|next|this)\s*$/iu;
/** A bare "morning" or "night" is a time only after "every", "each", "in the", "at", "this" ("night shift" is not). */
const PARTS_OF_DAY = new Set(['morning', 'afternoon', 'evening', 'night']);
const PART_OF_DAY_LEAD = new RegExp(`(?:^|[^\\p{L}])(?:every|each|in the|at|this|${HOLE})[\\s${HOLE}]*$`, 'iu');

/** Phrases chrono misreads or does not know. */
const EXTRAS: Array<{ re: RegExp; when: (z: Zoned) => When }> = [
  { re: /(?<![\p{L}])(?:the )?day after tomorrow(?![\p{L}])/giu, when: (z) => ({ date: addDays(z.today, 2) }) },
  {
    // The end of this (work) week: Friday, or today on a weekend.
    re: /(?<![\p{L}])(?:(?:the )?end of (?:the |this )?week|this week|eow)(?![\p{L}])/giu,
    when: (z) => {
      const wd = weekday(z.today);
      return { date: wd === 0 || wd === 6 ? z.today : addDays(z.today, 5 - wd) };
    },
  },
  { re: /(?<![\p{L}])(?:(?:the )?end of (?:the )?day|eod)(?![\p{L}])/giu, when: (z) => ({ date: z.today, time: { hour: 17, minute: 0 } }) },
];

function timeOf(r: chrono.ParsedResult): TimeOfDay | undefined {
  const s = r.start;
  if (s.isCertain('hour')) {
    let hour = s.get('hour') ?? 0;
    if (!s.isCertain('meridiem') && hour >= 1 && hour <= 6 && !/(?:^|\D)0\d/.test(r.text)) hour += 12;
    return { hour, minute: s.get('minute') ?? 0 };
  }
  const tags = s.tags();
  for (const [tag, t] of CASUAL_TIMES) if (tags.has(tag)) return t;
  return undefined;
}

/** A chrono result as a mention, or undefined when it is not taken as a date (see the header). */
function mentionOf(r: chrono.ParsedResult, span: Span, text: string, z: Zoned): DateMention | undefined {
  const s = r.start;
  const tags = s.tags();
  const words = r.text.trim();
  if (tags.has('result/relativeDate') && !RELATIVE_OK.test(words)) return undefined;
  if (BARE_ABBREVIATIONS.has(words.toLowerCase()) && !DEADLINE_WORD.test(text.slice(0, span.start))) return undefined;
  if (PARTS_OF_DAY.has(words.toLowerCase()) && !PART_OF_DAY_LEAD.test(text.slice(0, span.start))) return undefined;
  const time = timeOf(r);
  const ymd = (): CivilDate => ({ year: s.get('year') ?? z.today.year, month: s.get('month') ?? 1, day: s.get('day') ?? 1 });

  if (s.isCertain('timezoneOffset') && s.isCertain('hour')) {
    const d = ymd();
    const off = s.get('timezoneOffset') ?? 0;
    const instantMs = Date.UTC(d.year, d.month - 1, d.day, s.get('hour') ?? 0, s.get('minute') ?? 0, s.get('second') ?? 0) - off * 60_000;
    return Number.isFinite(instantMs) ? { start: span.start, end: span.end, instantMs } : undefined;
  }
  let date: CivilDate | undefined;
  if (s.isCertain('day')) {
    date = ymd();
  } else if (s.isCertain('weekday')) {
    if (WEEKDAY_MODIFIER.test(words)) date = ymd();
    else {
      const ahead = ((s.get('weekday') ?? 0) - weekday(z.today) + 7) % 7 || 7;
      date = addDays(z.today, ahead);
    }
  } else if (tags.has('casualReference/tonight') || tags.has('casualReference/today')) {
    date = z.today;
  }
  if (date && !isValidDate(date)) return undefined;
  if (!date && !time) return undefined;
  return { start: span.start, end: span.end, ...(date ? { date } : {}), ...(time ? { time } : {}) };
}

/** Every date or time mention in the text, in order. `text` may contain holes. */
export function findDates(text: string, z: Zoned): DateMention[] {
  const out: DateMention[] = [];
  let work = text;
  for (const { re, when } of EXTRAS) {
    re.lastIndex = 0;
    for (let m = re.exec(work); m; m = re.exec(work)) out.push({ start: m.index, end: m.index + m[0].length, ...when(z) });
  }
  work = punch(work, out);
  const c = compact(work);
  const results = parser.parse(defuse(c.text), { instant: new Date(z.nowMs), timezone: offsetAt(z.zone, z.nowMs) }, { forwardDate: true });
  for (const r of results) {
    const m = mentionOf(r, { start: c.at[r.index], end: c.at[r.index + r.text.length - 1] + 1 }, work, z);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The message's "when": the first mention that names a date (or an instant), completed by the
 * first other one that names only a time of day ("tomorrow #x at 5pm"). Those mentions are
 * punched out; any others stay in the text.
 */
export function readWhen(text: string, z: Zoned): { when?: When; work: string } {
  const mentions = findDates(text, z);
  const dated = mentions.find((m) => m.date || m.instantMs !== undefined);
  const timeOnly = mentions.find((m) => m !== dated && m.time && !m.date && m.instantMs === undefined);
  if (dated) {
    const { start: _s, end: _e, ...when } = dated;
    if (when.instantMs !== undefined || when.time || !timeOnly) return { when, work: punch(text, [dated]) };
    return { when: { ...when, time: timeOnly.time }, work: punch(text, [dated, timeOnly]) };
  }
  if (timeOnly) return { when: { time: timeOnly.time }, work: punch(text, [timeOnly]) };
  return { work: text };
}

/** The instant a `When` stands for (the readings in the header), in ms. */
export function resolveWhen(w: When, z: Zoned): number {
  if (w.instantMs !== undefined) return w.instantMs;
  if (w.date) {
    if (w.time) return instantOf(z.zone, at(w.date, w.time));
    const t = instantOf(z.zone, at(w.date, DEFAULT_TIME));
    return t <= z.nowMs && compareDates(w.date, z.today) === 0 ? instantOf(z.zone, at(w.date, END_OF_TODAY)) : t;
  }
  const time = w.time ?? DEFAULT_TIME;
  const today = instantOf(z.zone, at(z.today, time));
  return today > z.nowMs ? today : instantOf(z.zone, at(addDays(z.today, 1), time));
}
