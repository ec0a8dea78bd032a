/**
 * Whether a task's recurrence makes sense: the rule parses (ruleParser.ts), and started at the
 * task's first due time in its zone it terminates in rrule and repeats at least once.
 *
 * "Repeats" means the series has a second occurrence within the work one call may do
 * (LIMITS.scanYields occurrences, LIMITS.rruleSteps / 2 periods): a rule that matches no date
 * (BYMONTH=2;BYMONTHDAY=30), whose times all fall in DST gaps, or whose UNTIL is before the
 * first due is refused as never repeating. COUNT=1 is accepted: a series of one, as RFC 5545 allows.
 */
import { InvalidRecurrenceError, RecurrenceLimitError } from './errors';
import { nextOccurrence, ruleOf, startWallOf } from './expand';
import { LIMITS } from './limits';
import { gridProblem } from './rruleBridge';
import { parseRule } from './ruleParser';
import { isKnownTimeZone } from './zonedTime';

export { parseRule } from './ruleParser';
export type { ByDay, Frequency, ParsedRule, RecurrenceRule, Until, Weekday } from './ruleParser';

export interface FieldError {
  field: string;
  message: string;
}

export type RecurrenceValidation = { ok: true } | { ok: false; details: FieldError[] };

const RULE = 'recurrence.rule';

/**
 * Checks `rule` for a series that starts at `firstDueUtc` in `zone`. Rule problems are reported
 * on recurrence.rule, one per problem; a missing or out-of-range due on due, an unknown zone on timezone.
 */
export function validateRecurrence(rule: string, firstDueUtc: Date | string | null, zone: string): RecurrenceValidation {
  const details: FieldError[] = [];
  const parsed = parseRule(rule);
  if (!parsed.ok) details.push(...parsed.problems.map((message) => ({ field: RULE, message })));

  const due = typeof firstDueUtc === 'string' ? new Date(firstDueUtc) : firstDueUtc;
  if (due === null) details.push({ field: 'due', message: 'is required for a recurring task: its first due time starts the series' });
  else if (Number.isNaN(due.getTime())) details.push({ field: 'due', message: 'is not a valid instant' });
  if (!isKnownTimeZone(zone)) details.push({ field: 'timezone', message: `${zone} is not an IANA time zone this server knows` });
  if (details.length || !parsed.ok || !due) return { ok: false, details };

  const start = startWallOf(due, zone);
  if (start.year < LIMITS.minYear || start.year > LIMITS.maxYear) {
    return { ok: false, details: [{ field: 'due', message: `must be between the years ${LIMITS.minYear} and ${LIMITS.maxYear} for a recurring task` }] };
  }
  try {
    const r = ruleOf({ rule: parsed.rule, zone }, start);
    if (r.until?.kind === 'instant' && r.until.instant < due) {
      return { ok: false, details: [{ field: RULE, message: `UNTIL is before the first due time ${due.toISOString()}: the series would never repeat` }] };
    }
    if (r.count === 1) return { ok: true };
    const grid = gridProblem(r, start);
    if (grid) return { ok: false, details: [{ field: RULE, message: grid }] };
    if (nextOccurrence({ rule: r, zone, dtstartUtc: due, afterUtc: due }) === null) {
      return { ok: false, details: [{ field: RULE, message: `never repeats: started at ${due.toISOString()} in ${zone}, it has no occurrence after the first (its dates do not exist, fall in DST gaps, or are past UNTIL)` }] };
    }
    return { ok: true };
  } catch (err) {
    if (err instanceof InvalidRecurrenceError) return { ok: false, details: err.problems.map((message) => ({ field: RULE, message })) };
    if (err instanceof RecurrenceLimitError) {
      return { ok: false, details: [{ field: RULE, message: `never repeats within ${LIMITS.rruleSteps / 2} periods or ${LIMITS.scanYields} occurrences after the first due time; the rule matches too rarely or never` }] };
    }
    throw err;
  }
}
