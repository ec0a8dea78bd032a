/** RFC 5545 RRULE text (without DTSTART) from the parts of a recurrence. */
import { WEEKDAY_CODES } from './calendarWords';
import type { RuleParts } from './recurrence';

export type RuleEnd = { count: number } | { untilMs: number };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** UNTIL's UTC form: 20261231T225959Z. */
export function untilText(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** FREQ;INTERVAL;BYMONTH;BYMONTHDAY;BYDAY;COUNT|UNTIL, in that order. */
export function ruleText(p: RuleParts, end?: RuleEnd): string {
  const out = [`FREQ=${p.freq}`];
  if (p.interval > 1) out.push(`INTERVAL=${p.interval}`);
  if (p.byMonth !== undefined) out.push(`BYMONTH=${p.byMonth}`);
  if (p.byMonthDay?.length) out.push(`BYMONTHDAY=${p.byMonthDay.join(',')}`);
  if (p.byDay?.length) out.push(`BYDAY=${p.byDay.map((d) => `${d.nth ?? ''}${WEEKDAY_CODES[d.day]}`).join(',')}`);
  if (end && 'count' in end) out.push(`COUNT=${end.count}`);
  if (end && 'untilMs' in end) out.push(`UNTIL=${untilText(end.untilMs)}`);
  return out.join(';');
}
