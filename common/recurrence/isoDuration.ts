/**
 * ISO 8601 durations as reminders use them ("PT15M", "P1D", "P1W", "P1DT2H"): whole, non-negative
 * numbers of years, months, weeks, days, hours, minutes and seconds. The same grammar the task
 * schema accepts (common/validation.ts), which also lets weeks be combined with other units as
 * ISO 8601-2 and Temporal do; no fractions, no sign. A duration longer than LIMITS.maxDurationDays
 * (about ten years, counting a month as 31 days and a year as 366) is refused: no reminder needs
 * more, and the cap keeps the arithmetic far from any overflow.
 */
import { LIMITS } from './limits';

export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export type ParsedDuration = { ok: true; duration: IsoDuration } | { ok: false; message: string };

const GRAMMAR = /^P(?!$)(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?=\d)(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?$/;

export function parseIsoDuration(text: unknown): ParsedDuration {
  const m = typeof text === 'string' ? GRAMMAR.exec(text) : null;
  if (!m) return { ok: false, message: 'must be an ISO 8601 duration such as PT15M, PT1H, P1D, P1W or P1DT2H' };
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const duration: IsoDuration = { years, months, weeks, days, hours, minutes, seconds };
  if (nominalDays(duration) > LIMITS.maxDurationDays) return { ok: false, message: `must be at most ${LIMITS.maxDurationDays} days (about ten years)` };
  return { ok: true, duration };
}

/** An upper bound of the duration's length in days (a year counted as 366 days, a month as 31). */
export function nominalDays(d: IsoDuration): number {
  return d.years * 366 + d.months * 31 + d.weeks * 7 + d.days + d.hours / 24 + d.minutes / 1_440 + d.seconds / 86_400;
}
