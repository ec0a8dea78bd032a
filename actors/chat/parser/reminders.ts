/**
 * Reminder offsets: "30 minutes before", "an hour before", "a day before", "2 days and 1 hour
 * before", "the day before", "15m before", with an optional lead ("remind me", "with a reminder",
 * "and alert me") and tail ("before it's due", "in advance") → ISO 8601 durations (PT30M, PT1H,
 * P1D, P2D, P1W). Taken out of the title.
 */
import type { BeforeReminder } from './types';
import { NUMBER, numberOf } from './numbers';
import { punchAll } from './spans';

const UNIT = '(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?)';
const OFFSET = `(?:${NUMBER} ?${UNIT}|\\d{1,3}[mhdw]|half an hour|an hour and a half|the (?:day|week|hour))`;
const SEP = '(?: ?, ?and | ?, ?| and | or )';
const LEAD = '(?:(?:and |, ?)?(?:with |set |plus )?(?:an? |one )?(?:reminders?|alerts?|notifications?)(?: me)? |(?:and |, ?)?(?:remind|alert|notify|ping|warn) me (?:about it )?)?';
const TAIL = '(?: (?:before|earlier|ahead|in advance|beforehand|prior)(?: (?:it\'?s due|it is due|the due date|the deadline|due|hand))?)';

const PHRASE = new RegExp(`(?<![\\p{L}\\p{N}])${LEAD}(${OFFSET}(?:${SEP}${OFFSET}){0,4})${TAIL}(?![\\p{L}\\p{N}])`, 'giu');
const ONE = new RegExp(`(an hour and a half)|(half an hour)|(${NUMBER}) ?(${UNIT})|(\\d{1,3})([mhdw])(?![\\p{L}])|the (day|week|hour)`, 'giu');

/** The ISO 8601 duration of n units, or undefined for 0 or absurd amounts. */
export function isoDuration(n: number, unit: string): string | undefined {
  if (!Number.isInteger(n) || n <= 0 || n > 999) return undefined;
  const u = unit.toLowerCase()[0];
  if (u === 'm') return `PT${n}M`;
  if (u === 'h') return `PT${n}H`;
  if (u === 'd') return `P${n}D`;
  if (u === 'w') return `P${n}W`;
  return undefined;
}

function offsetsIn(list: string): string[] {
  const out: string[] = [];
  ONE.lastIndex = 0;
  for (let m = ONE.exec(list); m; m = ONE.exec(list)) {
    let d: string | undefined;
    if (m[1] !== undefined) d = 'PT1H30M';
    else if (m[2] !== undefined) d = 'PT30M';
    else if (m[3] !== undefined) d = isoDuration(numberOf(m[3]), m[4]);
    else if (m[5] !== undefined) d = isoDuration(Number(m[5]), m[6]);
    else if (m[7] !== undefined) d = isoDuration(1, m[7]);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}

export function extractReminderOffsets(work: string): { reminders: BeforeReminder[]; work: string } {
  const found: string[] = [];
  const rest = punchAll(work, PHRASE, (m) => {
    const ds = offsetsIn(m[1]);
    if (ds.length === 0) return false;
    for (const d of ds) if (!found.includes(d)) found.push(d);
    return true;
  });
  return { reminders: found.slice(0, 20).map((before) => ({ before })), work: rest };
}
