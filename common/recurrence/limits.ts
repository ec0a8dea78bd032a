/**
 * Every bound the engine enforces, in one place. Each call into the engine does a bounded amount
 * of work whatever rule it is given: these numbers are that bound, chosen so the worst call stays
 * well under 10 ms on one core, and so no legitimate rule comes near them.
 */
export const LIMITS = {
  /** Wall-clock years the engine works in. rrule misreads years below 100; zones before 1900 are local mean time. */
  minYear: 1900,
  maxYear: 9999,
  /** COUNT at most this (every day for five years fits): a COUNT rule's numbers are then always counted exactly (see scanYields). */
  maxCount: 2_000,
  /** INTERVAL at most this (any larger value is surely a typo, and rrule's arithmetic stays exact). */
  maxInterval: 10_000,
  /**
   * Occurrences (rrule results) one call may examine; each costs a time zone conversion (about 5 µs,
   * 20 µs next to a DST change). Well above maxCount, so DST gaps skipped along a COUNT never exhaust it.
   */
  scanYields: 5_000,
  /**
   * Steps of rrule's own loop one call may take beyond two per time rrule yields (two steps per
   * period; a YEARLY period counts four times). rrule's loop has no bound of its own: a rule that
   * never matches walks to year 9999, about 15 s for a daily one. 1 000 steps (500 periods,
   * 125 years of a YEARLY rule) keep the worst search to a few milliseconds (`npm run bench`'s recurrence part
   * measures it), and cover the rarest real rules: Feb 29 on a Monday is at most 40 years away,
   * and a rule that rare with FREQ=DAILY or HOURLY is walked by years (rruleBridge.ts). Rules
   * whose day-choosing parts contradict each other are refused before any search (feasibility.ts).
   */
  rruleSteps: 1_000,
  /** occurrencesBetween returns at most this many. */
  maxListed: 1_000,
  /** A rule string longer than this is refused outright. */
  maxRuleLength: 1_000,
  /** A reminder's `before` duration may reach back at most this many days (about ten years). */
  maxDurationDays: 3_660,
} as const;
