/**
 * A new task from the words after the command ("pay rent on the 1st of every month at 9am #home
 * p2 30 minutes before"). Phrases are taken out in this order, each from what the previous ones
 * left: tags, priority, reminder offsets, the recurrence and its qualifiers (after completion,
 * for N days / N times, until <date>, starting <date>), the date and time. What remains is the title
 * (or the words in quotes, when there are some).
 */
import { addDays, addMonths, at, type CivilDate, type TimeOfDay } from './civil';
import { DEFAULT_TIME, findDates, readWhen, resolveWhen, type When } from './dates';
import { firstOccurrence } from './firstOccurrence';
import { extractPriority } from './priority';
import { findRecurrence, type Freq, type RuleParts } from './recurrence';
import { extractCompletion, extractCount, type CountSpec } from './recurrenceModifiers';
import { extractReminderOffsets } from './reminders';
import { ruleText, type RuleEnd } from './rrule';
import { punch, type Span } from './spans';
import { extractTags } from './tags';
import { leftover } from './title';
import type { BeforeReminder, CreateIntent, UnknownIntent } from './types';
import { unknown } from './unknown';
import { instantOf, iso } from './zone';
import type { Zoned } from './zoned';

export const MAX_TITLE_LENGTH = 500;

const UNTIL_WORD = /(?<![\p{L}])(?:until|till|til|through|thru|ending(?: on)?|ends?(?: on)?|up to|no later than) /giu;
const START_WORD = /(?<![\p{L}])(?:starting(?: on| from)?|beginning(?: on| from)?|from|as of|effective) /giu;

/** The date right after a keyword ("until december 31"): the keyword and the date are punched out. */
function dateAfter(work: string, re: RegExp, z: Zoned): { when?: When; work: string } {
  re.lastIndex = 0;
  for (let m = re.exec(work); m; m = re.exec(work)) {
    const from = m.index + m[0].length;
    const first = findDates(work.slice(from), z)[0];
    if (first && first.start <= 1) {
      const { start: _s, end, ...when } = first;
      return { when, work: punch(work, [{ start: m.index, end: from + end }]) };
    }
  }
  return { work };
}

const FREQ_UNIT: Record<Freq, string> = { HOURLY: 'hour', DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

/** COUNT for "10 times" or a span in the rule's own unit with one anchor; UNTIL (end of that day) otherwise. */
function ruleEnd(parts: RuleParts, count: CountSpec | undefined, until: When | undefined, firstDate: CivilDate, z: Zoned): RuleEnd | undefined {
  if (count && 'times' in count) return { count: count.times };
  if (count) {
    const anchors = Math.max(parts.byDay?.length ?? 0, parts.byMonthDay?.length ?? 0);
    if (FREQ_UNIT[parts.freq] === count.unit && anchors <= 1) return { count: Math.max(1, Math.ceil(count.n / parts.interval)) };
    const last =
      count.unit === 'day' ? addDays(firstDate, count.n - 1)
      : count.unit === 'week' ? addDays(firstDate, count.n * 7 - 1)
      : addDays(addMonths(firstDate, count.unit === 'month' ? count.n : count.n * 12), -1);
    return { untilMs: endOfDay(last, z) };
  }
  if (until) {
    if (until.date) return { untilMs: endOfDay(until.date, z) };
    if (until.instantMs !== undefined) return { untilMs: until.instantMs };
  }
  return undefined;
}

/** 23:59:59 local on that date, as an instant. */
const endOfDay = (d: CivilDate, z: Zoned): number => instantOf(z.zone, at(d, { hour: 23, minute: 59 })) + 59_000;

export interface CreateOptions {
  /** "remind me to …": a reminder at the due time (PT0M) when no other reminder is given. */
  remindAtDue?: boolean;
}

/** Words in quotes are the title, as they are: 'add "meet at 5" tomorrow' (an apostrophe inside a word is no quote). */
const QUOTED_TITLE = /"([^"]{1,500})"|(?<![\p{L}\p{N}])'([^']{1,500})'(?![\p{L}\p{N}])/u;

export function parseCreate(body: string, z: Zoned, options: CreateOptions = {}): CreateIntent | UnknownIntent {
  let work = body;
  const quoted = QUOTED_TITLE.exec(work);
  if (quoted) work = punch(work, [{ start: quoted.index, end: quoted.index + quoted[0].length }]);
  const tagged = extractTags(work);
  work = tagged.work;
  const prioritized = extractPriority(work);
  work = prioritized.work;
  const reminded = extractReminderOffsets(work);
  work = reminded.work;

  const rec = findRecurrence(work);
  let recurrence: CreateIntent['recurrence'];
  let due: number | null = null;
  if (rec) {
    work = punch(work, [rec as Span]);
    const completion = extractCompletion(work);
    work = completion.work;
    const counted = extractCount(work);
    work = counted.work;
    const until = dateAfter(work, UNTIL_WORD, z);
    work = until.work;
    const start = dateAfter(work, START_WORD, z);
    work = start.work;
    const read = readWhen(work, z);
    work = read.work;
    const when = read.when ?? {};
    // A time said with the start or end date ("until dec 31 at 9pm") is the time of every occurrence.
    const time: TimeOfDay = when.time ?? start.when?.time ?? until.when?.time ?? DEFAULT_TIME;
    let firstDate: CivilDate;
    if (when.instantMs !== undefined) {
      due = when.instantMs;
      firstDate = z.today;
    } else if (rec.parts.freq === 'HOURLY' && !when.time && !when.date && !start.when) {
      // "every 2 hours": from the next full hour.
      due = instantOf(z.zone, { ...z.nowWall, minute: 0 }) + 3_600_000;
      firstDate = z.today;
    } else {
      const from = start.when?.date ?? when.date ?? z.today;
      const first = firstOccurrence(rec.parts, from, time, z.zone, z.nowMs);
      if (!first) return unknown('not_understood', 'That repeating date never happens.');
      due = first.instantMs;
      firstDate = first.date;
    }
    recurrence = {
      rule: ruleText(rec.parts, ruleEnd(rec.parts, counted.count, until.when, firstDate, z)),
      from: rec.completion || completion.completion ? 'completion' : 'due',
    };
  } else {
    const read = readWhen(work, z);
    work = read.work;
    if (read.when) due = resolveWhen(read.when, z);
  }

  const title = (quoted ? (quoted[1] ?? quoted[2]).trim() : leftover(work)).slice(0, MAX_TITLE_LENGTH).trim();
  if (!title) return unknown('missing_title');
  if (reminded.reminders.length && due === null) return unknown('missing_when', 'A reminder "before" needs a due date or time, e.g. "tomorrow at 9am 1 hour before".');
  let reminders: BeforeReminder[] = reminded.reminders;
  if (options.remindAtDue && reminders.length === 0 && due !== null) reminders = [{ before: 'PT0M' }];
  return {
    intent: 'create',
    title,
    due: due === null ? null : iso(due),
    timezone: z.zone,
    ...(prioritized.priority ? { priority: prioritized.priority } : {}),
    ...(tagged.tags.length ? { tags: tagged.tags } : {}),
    ...(recurrence ? { recurrence } : {}),
    ...(reminders.length ? { reminders } : {}),
  };
}

/** Whether a create parse found anything besides the title (used for messages without a command verb). */
export const hasDetails = (c: CreateIntent): boolean => c.due !== null || !!c.priority || !!c.tags || !!c.recurrence || !!c.reminders;
