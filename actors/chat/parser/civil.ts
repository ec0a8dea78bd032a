/**
 * Calendar arithmetic on civil (zone-less) dates and wall-clock times, via Date.UTC so that it
 * never depends on the process's own time zone.
 */

/** A calendar date: month 1..12, day 1..31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A time of day on a 24-hour clock. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** A wall-clock reading: date and time of day, in some zone. */
export type WallTime = CivilDate & TimeOfDay;

const DAY_MS = 86_400_000;

const toUtcMs = (d: CivilDate): number => Date.UTC(d.year, d.month - 1, d.day);

const fromUtcMs = (ms: number): CivilDate => {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

export function addDays(d: CivilDate, n: number): CivilDate {
  return fromUtcMs(toUtcMs(d) + n * DAY_MS);
}

/** Adds months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: CivilDate, n: number): CivilDate {
  const index = d.year * 12 + (d.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** 0 = Sunday … 6 = Saturday (as Date.getDay and chrono's `weekday`). */
export function weekday(d: CivilDate): number {
  return new Date(toUtcMs(d)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Negative, zero or positive as a is before, equal to or after b. */
export function compareDates(a: CivilDate, b: CivilDate): number {
  return toUtcMs(a) - toUtcMs(b);
}

export function isValidDate(d: CivilDate): boolean {
  return Number.isInteger(d.year) && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month);
}

/** The Monday on or before d (weeks start on Monday, ISO 8601). */
export function startOfWeek(d: CivilDate): CivilDate {
  return addDays(d, -((weekday(d) + 6) % 7));
}

export const dateOf = (w: WallTime): CivilDate => ({ year: w.year, month: w.month, day: w.day });

export const at = (d: CivilDate, t: TimeOfDay): WallTime => ({ year: d.year, month: d.month, day: d.day, hour: t.hour, minute: t.minute });
