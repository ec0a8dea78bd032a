/**
 * Wall-clock date-times: the fields a clock on the wall shows, with no zone attached. Recurrence
 * is defined on them (every day at 09:00 is a wall-clock statement), and calendar arithmetic on
 * them never involves a zone.
 *
 * "Fake UTC" is how they travel through rrule, which only knows UTC: the same fields read as if
 * they were UTC, as a number of milliseconds. Comparing two fake-UTC numbers compares two
 * wall-clock times; it says nothing about which instant comes first in some zone.
 */

export interface WallClock {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** 0..23 */
  readonly hour: number;
  /** 0..59 */
  readonly minute: number;
  /** 0..59 (no leap seconds) */
  readonly second: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The wall-clock fields read as UTC. setUTCFullYear, unlike Date.UTC, keeps years below 100 as they are. */
export function wallClockToFakeUtc(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** The inverse of wallClockToFakeUtc (milliseconds are dropped: the engine works in whole seconds). */
export function fakeUtcToWallClock(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** True when every field is an integer in range and the date exists in the Gregorian calendar. */
export function isValidWallClock(w: WallClock): boolean {
  const ints = [w.year, w.month, w.day, w.hour, w.minute, w.second].every(Number.isInteger);
  return ints && w.month >= 1 && w.month <= 12 && w.day >= 1 && w.day <= daysInMonth(w.year, w.month)
    && w.hour >= 0 && w.hour <= 23 && w.minute >= 0 && w.minute <= 59 && w.second >= 0 && w.second <= 59;
}

/** Monday = 0 ... Sunday = 6, the numbering rrule uses. */
export function weekdayOf(w: WallClock): number {
  const days = Math.floor(wallClockToFakeUtc(w) / DAY_MS);
  return (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)
}

export interface CalendarShift {
  readonly years?: number;
  readonly months?: number;
  readonly days?: number;
}

/**
 * Moves a wall-clock time by whole years, months and days, keeping the time of day. Years and
 * months first, with the day clamped to the end of a shorter month (Mar 31 minus one month is
 * Feb 28 or 29), then days: the order and the clamping of Temporal's PlainDateTime arithmetic.
 */
export function shiftWallClock(w: WallClock, shift: CalendarShift): WallClock {
  const monthIndex = w.year * 12 + (w.month - 1) + (shift.years ?? 0) * 12 + (shift.months ?? 0);
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const clamped = { ...w, year, month, day: Math.min(w.day, daysInMonth(year, month)) };
  return fakeUtcToWallClock(wallClockToFakeUtc(clamped) + (shift.days ?? 0) * DAY_MS);
}

/** "2026-03-29T02:30:00", for messages and test names. */
export function formatWallClock(w: WallClock): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}
