/**
 * IANA time zones through Intl (no tz database of our own): the wall clock at an instant, and the
 * instant of a wall-clock reading, with daylight-saving gaps and overlaps resolved the way
 * Temporal's 'compatible' mode does (a time in a gap moves forward by the gap, a time in an
 * overlap takes the earlier instant).
 */
import type { WallTime } from './civil';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    if (formatters.size < 1000) formatters.set(zone, f);
  }
  return f;
}

/** True when this runtime knows the zone (Europe/Berlin, America/New_York, UTC …). */
export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

interface WallWithSeconds extends WallTime {
  second: number;
}

function wallWithSeconds(zone: string, instantMs: number): WallWithSeconds {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** The wall-clock reading in `zone` at an instant (seconds dropped). */
export function wallAt(zone: string, instantMs: number): WallTime {
  const { second: _s, ...w } = wallWithSeconds(zone, instantMs);
  return w;
}

/** The zone's offset from UTC at an instant, in minutes (+60 for Berlin in winter). */
export function offsetAt(zone: string, instantMs: number): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const w = wallWithSeconds(zone, whole);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole) / 60_000);
}

const sameWall = (a: WallTime, b: WallTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/** The instant (ms) of a wall-clock reading in `zone`, computed with the offset in force then. */
export function instantOf(zone: string, w: WallTime): number {
  const local = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  // Offset transitions are months apart, so the offsets a day either side are the only candidates.
  const before = offsetAt(zone, local - 86_400_000);
  const after = offsetAt(zone, local + 86_400_000);
  const early = local - Math.max(before, after) * 60_000;
  const late = local - Math.min(before, after) * 60_000;
  if (sameWall(wallAt(zone, early), w)) return early; // the only one, or the earlier of an overlap
  if (sameWall(wallAt(zone, late), w)) return late;
  return local - before * 60_000; // in a gap: forward by the gap (02:30 → 03:30)
}

/** RFC 3339 in UTC with milliseconds, as Date.toISOString. */
export const iso = (instantMs: number): string => new Date(instantMs).toISOString();
