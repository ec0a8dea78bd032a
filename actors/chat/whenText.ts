/**
 * Instants written for a person, in their zone: "today at 5:00 PM", "tomorrow at 9:00 AM",
 * "Friday at 3:00 PM", "Tue, Dec 1 at 9:00 AM", "Mon, Jan 4, 2027 at 9:00 AM". Pure.
 */
import { instantToWallClock } from '../../common/recurrence';

const DAY_MS = 86_400_000;
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = map.get(key);
  if (!f) {
    f = make();
    if (map.size > 500) map.clear();
    map.set(key, f);
  }
  return f;
}

/** Days between two local calendar dates (b − a), DST-proof (counted on UTC midnights). */
function dayDiff(a: Date, b: Date, zone: string): number {
  const wa = instantToWallClock(a, zone);
  const wb = instantToWallClock(b, zone);
  return Math.round((Date.UTC(wb.year, wb.month - 1, wb.day) - Date.UTC(wa.year, wa.month - 1, wa.day)) / DAY_MS);
}

export function timeText(at: Date, zone: string): string {
  return cached(timeFormats, zone, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' })).format(at);
}

/** The instant relative to now, in the zone; the year only when it is not this year. */
export function whenText(at: Date, now: Date, zone: string): string {
  const d = dayDiff(now, at, zone);
  const time = timeText(at, zone);
  if (d === 0) return `today at ${time}`;
  if (d === 1) return `tomorrow at ${time}`;
  if (d === -1) return `yesterday at ${time}`;
  if (d > 1 && d < 7) {
    const weekday = cached(dateFormats, `${zone}|weekday`, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long' })).format(at);
    return `${weekday} at ${time}`;
  }
  const sameYear = instantToWallClock(at, zone).year === instantToWallClock(now, zone).year;
  const date = cached(dateFormats, `${zone}|${sameYear}`, () => new Intl.DateTimeFormat('en-US', {
    timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }),
  })).format(at);
  return `${date} at ${time}`;
}

/** An ISO 8601 duration as words: PT30M → "30 minutes", P1D → "1 day", PT0M → "at the due time". */
export function durationText(iso: string): string {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const units: Array<[string | undefined, string]> = [[m[1], 'week'], [m[2], 'day'], [m[3], 'hour'], [m[4], 'minute'], [m[5], 'second']];
  const parts = units.filter(([n]) => n !== undefined && Number(n) > 0).map(([n, u]) => `${Number(n)} ${u}${Number(n) === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' ') : '0 minutes';
}
