/**
 * The chat parser's view of IANA time zones, in its own units (milliseconds, minutes, WallTime),
 * over the recurrence engine's conversions (common/recurrence/zonedTime.ts): the wall clock at an
 * instant, and the instant of a wall-clock reading, with daylight-saving gaps and overlaps
 * resolved the way Temporal's 'compatible' mode does (a time in a gap moves forward by the gap, a
 * time in an overlap takes the earlier instant).
 */
import { instantToWallClock, wallClockToInstantCompatible, zoneOffsetMs } from '../../../common/recurrence';
import { isIanaTimeZone } from '../../../common/validation';
import type { WallTime } from './civil';

/** True for the zones the REST API accepts (Europe/Berlin, America/New_York, UTC …). */
export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && isIanaTimeZone(zone);
}

/** The wall-clock reading in `zone` at an instant (seconds dropped). */
export function wallAt(zone: string, instantMs: number): WallTime {
  const w = instantToWallClock(instantMs, zone);
  return { year: w.year, month: w.month, day: w.day, hour: w.hour, minute: w.minute };
}

/** The zone's offset from UTC at an instant, in minutes (+60 for Berlin in winter). */
export function offsetAt(zone: string, instantMs: number): number {
  return Math.round(zoneOffsetMs(instantMs, zone) / 60_000);
}

/**
 * The instant (ms) of a wall-clock reading in `zone`. An impossible reading (30 February, 24:00)
 * rolls over as Date.UTC does, rather than throw: the parser never throws.
 */
export function instantOf(zone: string, w: WallTime): number {
  const n = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
  const wall = { year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate(), hour: n.getUTCHours(), minute: n.getUTCMinutes(), second: 0 };
  return wallClockToInstantCompatible(wall, zone).getTime();
}

/** RFC 3339 in UTC with milliseconds, as Date.toISOString. */
export const iso = (instantMs: number): string => new Date(instantMs).toISOString();
