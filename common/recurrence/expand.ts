/**
 * A task's series as instants: the rule expanded in wall-clock time by rrule (rruleBridge.ts), each
 * result turned into an instant in the task's zone.
 *
 * - The series is its start (the due time it was given, always occurrence `occurrenceIndex`,
 *   1 by default, as RFC 5545 counts DTSTART) followed by the rule's occurrences after it.
 * - Wall-clock time is kept across DST: every day at 09:00 Berlin is 08:00Z in winter and 07:00Z
 *   in summer.
 * - A wall-clock time that does not exist (spring-forward gap) is skipped and not counted, as
 *   RFC 5545 §3.3.10 says of "invalid date[s] ... or nonexistent local time[s]"; so is a day the
 *   month lacks (BYMONTHDAY=31 in April). A time that happens twice (fall back) is the first of
 *   the two instants.
 * - COUNT counts from the series' start, which is number 1. UNTIL is inclusive: an instant for
 *   the Z form, a wall-clock time in the zone for a date (its whole day) or a time without Z.
 * - The engine works in whole seconds; milliseconds of the start are dropped from the rule's
 *   occurrences (the start keeps its own).
 *
 * Every call does bounded work (limits.ts). A series with no COUNT is expanded from the period
 * just before the time asked about, however far that is from its start; one with a COUNT is
 * counted from its start, which COUNT ≤ LIMITS.maxCount keeps affordable.
 */
import { InvalidRecurrenceError, RecurrenceLimitError } from './errors';
import { LIMITS } from './limits';
import { parseRule, type RecurrenceRule } from './ruleParser';
import { terminationProblem, walkWallClock } from './rruleBridge';
import { HOUR_MS, fakeUtcToWallClock, wallClockToFakeUtc, type WallClock } from './wallClock';
import { instantToWallClock, isKnownTimeZone, wallClockToInstant } from './zonedTime';

export interface SeriesInput {
  /** The RRULE value ("FREQ=WEEKLY;BYDAY=MO,WE"), or one parseRule already parsed. */
  readonly rule: string | RecurrenceRule;
  /** IANA zone the rule is expanded in. */
  readonly zone: string;
  /** The series' start: the due time of occurrence number `occurrenceIndex`. */
  readonly dtstartUtc: Date;
  /** Which occurrence `dtstartUtc` is (task.occurrence); COUNT is counted from 1. Default 1. */
  readonly occurrenceIndex?: number;
}

export interface Occurrence {
  readonly at: Date;
  /** Its number in the series, counted as COUNT counts (the start is occurrenceIndex). */
  readonly occurrence: number;
}

/** The rule, checked; throws InvalidRecurrenceError for a rule, zone or start the engine refuses. */
export function ruleOf(input: Pick<SeriesInput, 'rule' | 'zone'>, start: WallClock): RecurrenceRule {
  const parsed = typeof input.rule === 'string' ? parseRule(input.rule) : { ok: true as const, rule: input.rule };
  if (!parsed.ok) throw new InvalidRecurrenceError(parsed.problems);
  if (!isKnownTimeZone(input.zone)) throw new InvalidRecurrenceError([`unknown time zone ${input.zone}`]);
  if (start.year < LIMITS.minYear || start.year > LIMITS.maxYear) {
    throw new InvalidRecurrenceError([`a series must start between the years ${LIMITS.minYear} and ${LIMITS.maxYear}`]);
  }
  const problem = terminationProblem(parsed.rule, start);
  if (problem) throw new InvalidRecurrenceError([problem]);
  return parsed.rule;
}

const isInstant = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** The series start on the zone's wall clock; throws InvalidRecurrenceError for an unknown zone or an invalid instant. */
export function startWallOf(dtstartUtc: Date, zone: string): WallClock {
  if (!isKnownTimeZone(zone)) throw new InvalidRecurrenceError([`unknown time zone ${zone}`]);
  if (!isInstant(dtstartUtc)) throw new InvalidRecurrenceError(['the series start is not a valid instant']);
  return instantToWallClock(dtstartUtc, zone);
}

/** How far apart an instant and a wall-clock time showing it can be: offsets stay within ±16 h. */
const MAX_OFFSET_SPREAD_MS = 32 * HOUR_MS;

export interface ScanPlan {
  readonly rule: RecurrenceRule;
  readonly zone: string;
  /** Where the series' grid and its defaults (time of day, day of month, weekday) come from. */
  readonly startWall: WallClock;
  /** The start's instant when the start is itself an occurrence (visited first); null when it only anchors. */
  readonly startInstant: Date | null;
  /** The start's number; the rule's occurrences after it are numbered on from there. */
  readonly startOrdinal: number;
  /** Whether the series ends after COUNT occurrences (false: the caller applies COUNT itself). */
  readonly applyCount: boolean;
  /** Only occurrences strictly after this instant are visited (earlier ones are still counted). */
  readonly after: Date | null;
  /**
   * Whether the scan may start near `after` instead of at the start, not counting what lies
   * between: far cheaper, but occurrence numbers are then unknown (NaN). Only taken when COUNT
   * does not apply.
   */
  readonly skipAhead: boolean;
}

export interface ScanResult {
  /** stopped: the visitor had enough; ended: the series has no more; exhausted: LIMITS.scanYields or LIMITS.rruleSteps ran out. */
  readonly end: 'stopped' | 'ended' | 'exhausted';
  /** The number of the last occurrence counted (visited or not). */
  readonly lastOrdinal: number;
}

/**
 * The engine's core loop: visits the series' occurrences in order (strictly increasing instants)
 * until `visit` returns false, the series ends, or the work allowed runs out. Throws
 * nothing: a scan whose rrule step budget runs out ends as exhausted, like one out of occurrences.
 */
export function scanSeries(plan: ScanPlan, visit: (o: Occurrence) => boolean): ScanResult {
  const { rule, zone, startWall } = plan;
  const count = plan.applyCount ? rule.count : null;
  const afterMs = plan.after ? plan.after.getTime() : -Infinity;
  const startMs = wallClockToFakeUtc(startWall);
  let ordinal = plan.startOrdinal;
  let lastMs = -Infinity;

  if (plan.startInstant) {
    if (count !== null && ordinal > count) return { end: 'ended', lastOrdinal: ordinal };
    lastMs = plan.startInstant.getTime();
    if (lastMs > afterMs && !visit({ at: plan.startInstant, occurrence: ordinal })) return { end: 'stopped', lastOrdinal: ordinal };
  }
  // The last one allowed: rrule need not run (and a rule that matches nothing would only exhaust it).
  if (count !== null && ordinal >= count) return { end: 'ended', lastOrdinal: ordinal };

  let from = startWall;
  if (plan.skipAhead && plan.after && count === null) {
    const jumpMs = wallClockToFakeUtc(instantToWallClock(plan.after, zone)) - MAX_OFFSET_SPREAD_MS;
    if (jumpMs > startMs) {
      from = fakeUtcToWallClock(jumpMs);
      ordinal = NaN;
    }
  }
  const fromMs = wallClockToFakeUtc(from);
  const untilWallMs = rule.until?.kind === 'wallClock' ? wallClockToFakeUtc(rule.until.wall) : Infinity;
  const untilMs = rule.until?.kind === 'instant' ? rule.until.instant.getTime() : Infinity;

  let end: ScanResult['end'] = 'ended';
  let examined = 0;
  // rrule's own step budget running out ends the scan as the occurrence budget does: the caller
  // decides whether what was counted so far is enough (nextDue's fallback) or a limit error.
  try {
    walkWallClock(rule, startWall, from, (ms) => {
    if (ms <= startMs || ms < fromMs) return true;
    if (++examined > LIMITS.scanYields) {
      end = 'exhausted';
      return false;
    }
    if (ms > untilWallMs) return false;
    const at = wallClockToInstant(fakeUtcToWallClock(ms), zone);
    // A gap's time does not happen: skipped, not counted. The `lastMs` test only matters right
    // after a start that is the second instant of a fall-back hour: times just after it on the
    // wall clock came an hour earlier, before the start.
    if (at === null || at.getTime() <= lastMs) return true;
    if (at.getTime() > untilMs) return false;
    ordinal += 1;
    if (count !== null && ordinal > count) return false;
    lastMs = at.getTime();
    if (lastMs <= afterMs) return true;
    if (visit({ at, occurrence: ordinal })) return true;
    end = 'stopped';
    return false;
    });
  } catch (err) {
    if (!(err instanceof RecurrenceLimitError)) throw err;
    end = 'exhausted';
  }
  return { end, lastOrdinal: ordinal };
}

function planFor(input: SeriesInput, after: Date, ...more: Date[]): ScanPlan {
  if (![after, ...more].every(isInstant)) throw new InvalidRecurrenceError(['the instants asked about must be valid dates']);
  const startWall = startWallOf(input.dtstartUtc, input.zone);
  const rule = ruleOf(input, startWall);
  const startOrdinal = input.occurrenceIndex ?? 1;
  if (!Number.isInteger(startOrdinal) || startOrdinal < 1) throw new InvalidRecurrenceError(['occurrenceIndex must be a whole number from 1']);
  return { rule, zone: input.zone, startWall, startInstant: input.dtstartUtc, startOrdinal, applyCount: true, after, skipAhead: true };
}

function limitReached(what: string): RecurrenceLimitError {
  return new RecurrenceLimitError(`${what}: more than ${LIMITS.scanYields} occurrences, or ${LIMITS.rruleSteps / 2} periods without one, would have to be examined`);
}

/**
 * The first occurrence strictly after `afterUtc`, or null when the series ends before (COUNT,
 * UNTIL, year 9999). Throws RecurrenceLimitError if it cannot be found within the work allowed.
 */
export function nextOccurrence(input: SeriesInput & { readonly afterUtc: Date }): Date | null {
  let found: Date | null = null;
  const r = scanSeries(planFor(input, input.afterUtc), (o) => {
    found = o.at;
    return false;
  });
  if (r.end === 'exhausted') throw limitReached('next occurrence');
  return found;
}

/**
 * The occurrences with fromUtc ≤ instant ≤ toUtc, ascending, at most `limit` (default and
 * maximum LIMITS.maxListed). Throws RecurrenceLimitError if the window needs more work than allowed.
 */
export function occurrencesBetween(input: SeriesInput & { readonly fromUtc: Date; readonly toUtc: Date; readonly limit?: number }): Date[] {
  const limit = Math.min(input.limit ?? LIMITS.maxListed, LIMITS.maxListed);
  const out: Date[] = [];
  if (!(limit > 0) || input.toUtc < input.fromUtc) return out;
  const toMs = input.toUtc.getTime();
  const r = scanSeries(planFor(input, new Date(input.fromUtc.getTime() - 1), input.toUtc), (o) => {
    if (o.at.getTime() > toMs) return false;
    out.push(o.at);
    return out.length < limit;
  });
  if (r.end === 'exhausted') throw limitReached('occurrences in the window');
  return out;
}
