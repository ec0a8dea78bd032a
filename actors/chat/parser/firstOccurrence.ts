/**
 * The first due of a new series: the first day on or after `from` that the rule's anchors allow
 * (weekday, day of month, month), at the given time of day in the user's zone, strictly after now.
 * A rule without anchors ("every day", "every month") allows any day, so its series starts at the
 * next such time of day and repeats from there.
 */
import { addDays, at, daysInMonth, weekday, type CivilDate, type TimeOfDay } from './civil';
import type { RuleParts } from './recurrence';
import { instantOf } from './zone';

/** Long enough to reach the next February 29th. */
const SEARCH_DAYS = 366 * 9;

export function dayMatches(p: RuleParts, d: CivilDate): boolean {
  if (p.byMonth !== undefined && d.month !== p.byMonth) return false;
  const dim = daysInMonth(d.year, d.month);
  if (p.byMonthDay?.length && !p.byMonthDay.some((md) => (md > 0 ? d.day === md : d.day === dim + md + 1))) return false;
  if (p.byDay?.length) {
    const wd = weekday(d);
    const ok = p.byDay.some((b) => {
      if (b.day !== wd) return false;
      if (b.nth === undefined) return true;
      if (b.nth > 0) return Math.ceil(d.day / 7) === b.nth;
      return Math.ceil((dim - d.day + 1) / 7) === -b.nth;
    });
    if (!ok) return false;
  }
  return true;
}

/** The first occurrence's instant (ms), or undefined when none falls within nine years. */
export function firstOccurrence(p: RuleParts, from: CivilDate, time: TimeOfDay, zone: string, nowMs: number): { date: CivilDate; instantMs: number } | undefined {
  for (let k = 0; k < SEARCH_DAYS; k++) {
    const d = addDays(from, k);
    if (!dayMatches(p, d)) continue;
    const instantMs = instantOf(zone, at(d, time));
    if (instantMs > nowMs) return { date: d, instantMs };
  }
  return undefined;
}
