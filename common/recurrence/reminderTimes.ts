/**
 * When a task's reminders fire.
 *
 * `at` fires at that instant, due or not. `before` fires that long before the due time, and not
 * at all while the task has no due time. Its calendar part (years, months, weeks, days) is counted
 * on the wall clock of the task's zone, and its clock part (hours, minutes, seconds) in elapsed
 * time, in that order, as Temporal's ZonedDateTime.subtract does:
 *   P1D before 09:00 Berlin on Sunday 29 March 2026 (clocks went forward at 02:00 that night)
 *   is 09:00 on Saturday, 23 hours earlier, not 24;
 *   PT24H before the same due is 08:00 on Saturday;
 *   P1M before 31 March 09:00 is 28 February 09:00 (the day is clamped to the shorter month).
 * A calendar-shifted time that falls in a spring-forward gap moves forward by the gap
 * (02:30 → 03:30), one that happens twice takes the first: a reminder always fires, and never
 * after its due time.
 */
import { parseIsoDuration, type IsoDuration } from './isoDuration';
import { shiftWallClock } from './wallClock';
import { instantToWallClock, wallClockToInstantCompatible } from './zonedTime';

export { parseIsoDuration } from './isoDuration';
export type { IsoDuration, ParsedDuration } from './isoDuration';

export type ReminderSpec = { readonly id: string; readonly before: string } | { readonly id: string; readonly at: string | Date };

export interface ReminderFire {
  readonly id: string;
  readonly fireAt: Date;
}

/** The instant `duration` before `due`, as described above. */
export function fireTimeBefore(due: Date, zone: string, duration: IsoDuration): Date {
  const calendarDays = duration.weeks * 7 + duration.days;
  let base = due.getTime();
  if (duration.years || duration.months || calendarDays) {
    const wall = shiftWallClock(instantToWallClock(due, zone), { years: -duration.years, months: -duration.months, days: -calendarDays });
    const subSecond = ((base % 1000) + 1000) % 1000;
    base = wallClockToInstantCompatible(wall, zone).getTime() + subSecond;
  }
  return new Date(base - ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function instantOf(id: string, at: string | Date): Date {
  const d = typeof at === 'string' ? (INSTANT.test(at) ? new Date(at) : new Date(NaN)) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`reminder ${id}: at must be an instant with an offset, like 2026-12-01T08:00:00Z`);
  return d;
}

/**
 * The fire time of each reminder, in the order given. `before` reminders are left out while `due`
 * is null. Throws RangeError for a duration or instant the task schema would have refused.
 */
export function reminderTimes(task: { readonly due: Date | null; readonly zone: string; readonly reminders: readonly ReminderSpec[] }): ReminderFire[] {
  const out: ReminderFire[] = [];
  for (const r of task.reminders) {
    if ('at' in r) {
      out.push({ id: r.id, fireAt: instantOf(r.id, r.at) });
      continue;
    }
    const parsed = parseIsoDuration(r.before);
    if (!parsed.ok) throw new RangeError(`reminder ${r.id}: before ${parsed.message}`);
    if (task.due) out.push({ id: r.id, fireAt: fireTimeBefore(task.due, task.zone, parsed.duration) });
  }
  return out;
}
