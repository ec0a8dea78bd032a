/**
 * Rules whose day-choosing parts contradict each other (BYWEEKNO=53;BYMONTH=1;BYMONTHDAY=31: week 53
 * never holds January 31st), refused by the parser before any search. Without this, such a rule
 * costs the engine its whole step budget before it is found never to repeat.
 *
 * A year's calendar depends only on whether it is a leap year and the weekday of January 1st:
 * 14 kinds of year. A day can match the rule only if it passes every day-level part given
 * (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, and BYDAY's weekdays) in some kind of year. The test
 * is generous where the exact answer needs more than the year's kind (an ordinal weekday counts as
 * its weekday, a day near New Year as in either year's week numbering, BYSETPOS is ignored): it
 * refuses only rules that surely never match, and the step budget (limits.ts) handles the rest.
 */
import type { RecurrenceRule } from './ruleParser';
import { WEEKDAYS } from './weekdays';

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The parts that choose days; with fewer than two of them some day always matches. */
function dayParts(r: RecurrenceRule): string[] {
  const parts: string[] = [];
  if (r.byMonth) parts.push(`BYMONTH=${r.byMonth.join(',')}`);
  if (r.byWeekNo) parts.push(`BYWEEKNO=${r.byWeekNo.join(',')}`);
  if (r.byYearDay) parts.push(`BYYEARDAY=${r.byYearDay.join(',')}`);
  if (r.byMonthDay) parts.push(`BYMONTHDAY=${r.byMonthDay.join(',')}`);
  if (r.byDay) parts.push(`BYDAY=${r.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`).join(',')}`);
  return parts;
}

/**
 * The week numbers a day of the year may carry (RFC 5545: week 1 is the first week, starting on
 * WKST, with at least four days of the year): its own, and for days outside the year's weeks the
 * neighbouring year's (52 or 53 before week 1, 1 after the last week), each also counted from the end.
 */
function weekNumbersOf(yearDay0: number, jan1Weekday: number, yearLength: number, wkst: number): number[] {
  // Offset of Jan 1 into its week (0 = Jan 1 starts a week).
  const into = (jan1Weekday - wkst + 7) % 7;
  // Day index (from Jan 1 = 0) where week 1 starts: this week if it holds ≥ 4 days of the year, else the next.
  const week1Start = into <= 3 ? -into : 7 - into;
  const weeksInYear = (() => {
    // The last week belongs to this year if it holds ≥ 4 days of it.
    const daysFromWeek1 = yearLength - week1Start;
    const full = Math.floor(daysFromWeek1 / 7);
    return daysFromWeek1 % 7 >= 4 ? full + 1 : full;
  })();
  if (yearDay0 < week1Start) return [52, 53, -1, 1]; // the previous year's last week (and, generously, week 1)
  const w = Math.floor((yearDay0 - week1Start) / 7) + 1;
  if (w > weeksInYear) return [1, -1]; // next year's week 1 (and, generously, this year's last)
  return [w, w - weeksInYear - 1];
}

/** Why no day can ever match the rule's day-choosing parts together, or null when some day can. */
export function contradictionProblem(r: RecurrenceRule): string | null {
  const parts = dayParts(r);
  if (parts.length < 2) return null;
  const wkst = WEEKDAYS.indexOf(r.wkst);
  const weekdays = r.byDay ? new Set(r.byDay.map((d) => WEEKDAYS.indexOf(d.weekday))) : null;
  for (const leap of [false, true]) {
    const yearLength = leap ? 366 : 365;
    for (let jan1 = 0; jan1 < 7; jan1++) {
      let yearDay0 = 0;
      for (let month = 1; month <= 12; month++) {
        const days = MONTH_DAYS[month - 1] + (leap && month === 2 ? 1 : 0);
        for (let day = 1; day <= days; day++, yearDay0++) {
          if (r.byMonth && !r.byMonth.includes(month)) continue;
          if (r.byMonthDay && !r.byMonthDay.some((d) => d === day || d === day - days - 1)) continue;
          if (r.byYearDay && !r.byYearDay.some((d) => d === yearDay0 + 1 || d === yearDay0 - yearLength)) continue;
          if (weekdays && !weekdays.has((jan1 + yearDay0) % 7)) continue;
          if (r.byWeekNo) {
            const ws = weekNumbersOf(yearDay0, jan1, yearLength, wkst);
            if (!r.byWeekNo.some((w) => ws.includes(w))) continue;
          }
          return null;
        }
      }
    }
  }
  return `never happens: no day is in ${parts.join(' and ')} at once, in any year`;
}
