/**
 * What completing one occurrence of a recurring task schedules next: exactly one next
 * occurrence, or none when the series has ended. The series is re-anchored at the completed
 * occurrence (the task stores its current due and number, not the series' first due); expand.ts
 * guarantees a series re-anchored at one of its occurrences goes on exactly as before.
 *
 * from "due" — the calendar decides. The next due is the first occurrence strictly after the
 * completed one's due AND strictly after the completion. Completing early moves on to the next
 * occurrence; completing late skips every occurrence that has already passed, so no backlog of
 * past occurrences is ever created. The skipped ones still count: their numbers are used up and
 * COUNT ends the series where the calendar says (daily, COUNT=10, first due the 1st, completed
 * late on the 5th at noon → the 6th, number 6; the series still ends on the 10th).
 * Numbers stay exact up to LIMITS.scanYields skipped occurrences, which covers every COUNT rule
 * (COUNT ≤ LIMITS.maxCount). Past that (an every-minute task a week overdue, a daily one decades
 * overdue) the due is still the first occurrence after the completion, but counting stops: the
 * number given is the last one counted plus one, a lower bound of the true one.
 *
 * from "completion" — the completion decides (like Todoist's "every!"). The series is re-anchored
 * at the completion's local date, at the series' own time of day: day 0. The next due is the
 * rule's first occurrence after day 0 at that time, and after the completion itself:
 *   every 3 days at 09:00, completed Tuesday 18:00 → Friday 09:00 (completed 08:00: also Friday);
 *   weekly on MO,WE,FR at 09:00, completed Tuesday → Wednesday 09:00;
 *   weekly on FR, completed early on Monday → this Friday, the same due as the completed one
 *     (use from "due" to move on a week);
 *   monthly (no BYMONTHDAY), completed March 20 → April 20: the day of the month follows the completion;
 *   hourly, INTERVAL=2, due 09:00, completed 12:30 → 13:00 (the grid of day 0 from 09:00).
 * When day 0's grid misses every day the rule allows (DAILY;INTERVAL=7;BYDAY=MO completed on a
 * Tuesday), the series keeps its own grid: the next due is its first occurrence after the completion.
 * The number is always the completed one's plus one; COUNT is the number of occurrences created.
 */
import { InvalidRecurrenceError, RecurrenceLimitError } from './errors';
import { ruleOf, scanSeries, startWallOf, type Occurrence, type ScanPlan, type ScanResult } from './expand';
import type { WallClock } from './wallClock';
import { instantToWallClock } from './zonedTime';

export interface CompletedOccurrence {
  readonly recurrence: { readonly rule: string; readonly from: 'due' | 'completion' };
  /** The task's IANA zone. */
  readonly zone: string;
  /** The completed occurrence's due time. */
  readonly due: Date;
  /** Its number in the series (task.occurrence); default 1. */
  readonly occurrence?: number;
  /** When it was completed: "now" for the overdue policy. */
  readonly completedAt: Date;
}

export interface NextDue {
  readonly due: Date;
  readonly occurrence: number;
}

/** The scan's first occurrence, and how the scan ended. */
function first(plan: ScanPlan): { found: Occurrence | null; end: ScanResult['end']; lastOrdinal: number } {
  let found: Occurrence | null = null;
  const r = scanSeries(plan, (o) => {
    found = o;
    return false;
  });
  return { found, end: r.end, lastOrdinal: r.lastOrdinal };
}

/** The next occurrence to create when `c` is completed, or null when the series has ended (COUNT, UNTIL). */
export function nextDue(c: CompletedOccurrence): NextDue | null {
  const startWall = startWallOf(c.due, c.zone);
  const rule = ruleOf({ rule: c.recurrence.rule, zone: c.zone }, startWall);
  const ordinal = c.occurrence ?? 1;
  if (!Number.isInteger(ordinal) || ordinal < 1) throw new InvalidRecurrenceError(['occurrence must be a whole number from 1']);
  if (!(c.completedAt instanceof Date) || Number.isNaN(c.completedAt.getTime())) throw new InvalidRecurrenceError(['completedAt is not a valid instant']);
  return c.recurrence.from === 'completion'
    ? fromCompletion(c, rule, startWall, ordinal)
    : fromDue(c, rule, startWall, ordinal);
}

function fromDue(c: CompletedOccurrence, rule: ScanPlan['rule'], startWall: WallClock, ordinal: number): NextDue | null {
  const after = new Date(Math.max(c.due.getTime(), c.completedAt.getTime()));
  const plan: ScanPlan = { rule, zone: c.zone, startWall, startInstant: c.due, startOrdinal: ordinal, applyCount: true, after, skipAhead: false };
  const exact = first(plan);
  if (exact.found) return { due: exact.found.at, occurrence: exact.found.occurrence };
  if (exact.end !== 'exhausted') return null;
  if (rule.count !== null) throw new RecurrenceLimitError('too many occurrences to count before the next one');
  const ahead = first({ ...plan, skipAhead: true });
  if (ahead.found) return { due: ahead.found.at, occurrence: exact.lastOrdinal + 1 };
  if (ahead.end === 'exhausted') throw new RecurrenceLimitError('the next occurrence is beyond the work allowed');
  return null;
}

function fromCompletion(c: CompletedOccurrence, rule: ScanPlan['rule'], dueWall: WallClock, ordinal: number): NextDue | null {
  if (rule.count !== null && ordinal + 1 > rule.count) return null;
  const done = instantToWallClock(c.completedAt, c.zone);
  const dayZero: WallClock = { year: done.year, month: done.month, day: done.day, hour: dueWall.hour, minute: dueWall.minute, second: dueWall.second };
  // dayZero keeps the series' time of day, so rrule's termination (checked on dueWall) still holds.
  const plan: ScanPlan = { rule, zone: c.zone, startWall: dayZero, startInstant: null, startOrdinal: ordinal, applyCount: false, after: c.completedAt, skipAhead: false };
  let found: Occurrence | null = null;
  try {
    found = first(plan).found;
  } catch (err) {
    if (!(err instanceof RecurrenceLimitError)) throw err;
  }
  // Day 0's grid can miss every day the rule allows (INTERVAL=7;BYDAY=MO from a Tuesday, INTERVAL=12;
  // BYMONTH=3 from May): then the series keeps its own grid, the first occurrence after the completion.
  if (!found) {
    const own = first({ ...plan, startWall: dueWall, skipAhead: true });
    if (own.end === 'exhausted') throw new RecurrenceLimitError('the next occurrence after the completion is beyond the work allowed');
    found = own.found;
  }
  return found ? { due: found.at, occurrence: ordinal + 1 } : null;
}

/**
 * The shape the actor calls (actors/taskRules.ts, nextOccurrence): a stored task and its
 * completion time. A task without recurrence or due has no next occurrence.
 */
export function planNextOccurrence(
  task: { readonly due: string | null; readonly timezone: string; readonly occurrence: number; readonly recurrence: CompletedOccurrence['recurrence'] | null },
  completedAt: Date,
): NextDue | null {
  if (!task.recurrence || !task.due) return null;
  return nextDue({ recurrence: task.recurrence, zone: task.timezone, due: new Date(task.due), occurrence: task.occurrence, completedAt });
}
