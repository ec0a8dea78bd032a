/**
 * Between instants (UTC) and wall-clock times in an IANA zone, with Intl only (the runtime's ICU
 * time zone data; no library).
 *
 * An instant has exactly one wall-clock time in a zone. The way back is not a function: a
 * wall-clock time inside a spring-forward gap has no instant (02:30 on the day Berlin moves from
 * 02:00 to 03:00), and one inside a fall-back overlap has two (02:30 on the day Berlin moves from
 * 03:00 back to 02:00). resolveWallClock reports which case applies; the two conversions below it
 * are the two policies the engine uses.
 */
import { HOUR_MS, fakeUtcToWallClock, formatWallClock, isValidWallClock, wallClockToFakeUtc, type WallClock } from './wallClock';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for a zone ICU does not know.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, calendar: 'gregory', numberingSystem: 'latn', hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    if (formatters.size < 1_000) formatters.set(zone, f);
  }
  return f;
}

/** True for a zone this runtime's ICU knows ("Europe/Berlin", "UTC"). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The fields of instant `ms` (whole seconds; ICU formats no fraction) in the zone, as fake UTC.
 * format() and a split on the separators: three times faster than formatToParts, which is the
 * fallback should some ICU ever lay the en-US pattern out differently than "1/31/2026, 09:05:00".
 */
function fakeUtcAt(ms: number, zone: string): number {
  const f = formatterFor(zone);
  const n = f.format(ms).split(/\D+/).map(Number);
  if (n.length === 6 && n.every(Number.isInteger)) {
    return wallClockToFakeUtc({ year: n[2], month: n[0], day: n[1], hour: n[3], minute: n[4], second: n[5] });
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = Number(part.value);
  return wallClockToFakeUtc({ year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second });
}

/** The zone's UTC offset at an instant, in milliseconds (wall clock minus UTC: +3 600 000 for CET). */
export function zoneOffsetMs(instant: Date | number, zone: string): number {
  const ms = Math.floor(+instant / 1000) * 1000;
  return fakeUtcAt(ms, zone) - ms;
}

/** The wall-clock time an instant shows in the zone (milliseconds dropped). */
export function instantToWallClock(instant: Date | number, zone: string): WallClock {
  const ms = Math.floor(+instant / 1000) * 1000;
  return fakeUtcToWallClock(fakeUtcAt(ms, zone));
}

export type WallClockResolution =
  /** The usual case: exactly one instant shows this wall-clock time. */
  | { readonly kind: 'unique'; readonly instant: Date }
  /** Fall back: the time happens twice, first with the offset before the change, then with the one after. */
  | { readonly kind: 'ambiguous'; readonly earlier: Date; readonly later: Date }
  /**
   * Spring forward: the clock jumps over this time. `shifted` is the instant read with the offset
   * before the jump, which lands the same distance past the jump (02:30 → 03:30 in Berlin): what
   * RFC 5545 §3.3.5 says an explicit DATE-TIME in a gap means, and Temporal's "compatible" choice.
   */
  | { readonly kind: 'nonexistent'; readonly shifted: Date; readonly gapMs: number };

/**
 * Real offsets lie between -12:00 and +14:00 (historic local mean time reaches about ±16:00), so
 * every instant showing a given wall-clock time lies within 16 hours of it read as UTC. The
 * offsets in force just before and just after that window are the only candidates; when they are
 * equal the time is unique. (A pair of changes within a day and a half that undo each other would
 * slip through.) The two samples sit on the hour grid and are memoized, so a scan of hourly or
 * minutely occurrences costs about one Intl call per hour.
 */
const REACH_MS = 16 * HOUR_MS;

const gridMemo = new Map<string, Map<number, number>>();

function gridOffset(ms: number, zone: string): number {
  let memo = gridMemo.get(zone);
  if (!memo) {
    if (gridMemo.size >= 64) gridMemo.clear();
    memo = new Map();
    gridMemo.set(zone, memo);
  }
  let o = memo.get(ms);
  if (o === undefined) {
    o = zoneOffsetMs(ms, zone);
    if (memo.size >= 4_096) memo.clear(); // a cache: at most 64 zones × 4 096 offsets
    memo.set(ms, o);
  }
  return o;
}

/** Which instants show wall-clock time `w` in `zone`. */
export function resolveWallClock(w: WallClock, zone: string): WallClockResolution {
  if (!isValidWallClock(w)) throw new RangeError(`not a valid wall-clock time: ${formatWallClock(w)}`);
  const t = wallClockToFakeUtc(w);
  const before = gridOffset(Math.floor((t - REACH_MS) / HOUR_MS) * HOUR_MS, zone);
  const after = gridOffset(Math.ceil((t + REACH_MS) / HOUR_MS) * HOUR_MS, zone);
  if (before === after) return { kind: 'unique', instant: new Date(t - before) };

  const instants = [before, after].filter((o) => zoneOffsetMs(t - o, zone) === o).map((o) => t - o).sort((a, b) => a - b);
  if (instants.length === 0) return { kind: 'nonexistent', shifted: new Date(t - before), gapMs: after - before };
  if (instants.length === 1) return { kind: 'unique', instant: new Date(instants[0]) };
  return { kind: 'ambiguous', earlier: new Date(instants[0]), later: new Date(instants[1]) };
}

/**
 * The recurrence policy: the first instant that shows `w` (the earlier one in a fall-back
 * overlap), or null when `w` falls in a spring-forward gap and so does not happen that day.
 */
export function wallClockToInstant(w: WallClock, zone: string): Date | null {
  const r = resolveWallClock(w, zone);
  return r.kind === 'unique' ? r.instant : r.kind === 'ambiguous' ? r.earlier : null;
}

/**
 * The reminder policy: like wallClockToInstant, but a time in a gap is moved forward by the gap
 * (02:30 → 03:30), so a reminder always has an instant to fire at.
 */
export function wallClockToInstantCompatible(w: WallClock, zone: string): Date {
  const r = resolveWallClock(w, zone);
  return r.kind === 'unique' ? r.instant : r.kind === 'ambiguous' ? r.earlier : r.shifted;
}
