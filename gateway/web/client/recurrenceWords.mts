/**
 * An RFC 5545 RRULE in plain English words, as the task list shows it ("every Monday", "every
 * 2 weeks on Monday and Wednesday", "every month on the last Friday"). Rules with parts it does not
 * put into words come back with the rule itself in brackets, so nothing is hidden.
 */
const DAY_NAMES: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const UNITS: Record<string, [string, string]> = {
  YEARLY: ['year', 'years'], MONTHLY: ['month', 'months'], WEEKLY: ['week', 'weeks'], DAILY: ['day', 'days'],
  HOURLY: ['hour', 'hours'], MINUTELY: ['minute', 'minutes'], SECONDLY: ['second', 'seconds'],
};
const ORDINAL_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', [-1]: 'last', [-2]: 'second to last' };
/** Parts this module puts into words; others make it show the rule too. */
const KNOWN = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYSETPOS', 'COUNT', 'UNTIL', 'WKST']);

export function ordinal(n: number): string {
  const abs = Math.abs(n);
  const suffix = abs % 100 >= 11 && abs % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[abs % 10] ?? 'th';
  return `${n}${suffix}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function parse(rule: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const line of rule.trim().split(/\r?\n/)) {
    const body = line.replace(/^RRULE:/i, '');
    if (/^DTSTART/i.test(body)) continue;
    for (const kv of body.split(';')) {
      const [k, v] = kv.split('=');
      if (k && v !== undefined) parts.set(k.trim().toUpperCase(), v.trim().toUpperCase());
    }
  }
  return parts;
}

/** "MO" → "Monday", "1MO" → "first Monday", "-1FR" → "last Friday"; undefined when not a weekday. */
function dayWords(token: string, setpos: number | undefined): string | undefined {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
  if (!m) return undefined;
  const n = m[1] !== undefined ? Number(m[1]) : setpos;
  const name = DAY_NAMES[m[2]];
  if (n === undefined) return name;
  return `${ORDINAL_WORDS[n] ?? ordinal(n)} ${name}`;
}

function monthDayWords(v: string): string {
  return list(v.split(',').map((d) => (Number(d) === -1 ? 'last day' : Number(d) < 0 ? `${ordinal(-Number(d))} to last day` : ordinal(Number(d)))));
}

function timeWords(parts: Map<string, string>): string {
  const hours = parts.get('BYHOUR')?.split(',');
  if (!hours) return '';
  const minutes = parts.get('BYMINUTE')?.split(',') ?? ['0'];
  const times = hours.flatMap((h) => minutes.map((m) => `${h.padStart(2, '0')}:${m.padStart(2, '0')}`));
  return ` at ${list(times)}`;
}

function untilWords(v: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v);
  return m ? `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : v;
}

/** The rule in words, e.g. "every Monday at 09:00, 10 times"; `fromCompletion` adds "after each completion". */
export function recurrenceInWords(rule: string, fromCompletion = false): string {
  const parts = parse(rule);
  const freq = parts.get('FREQ');
  const unit = freq ? UNITS[freq] : undefined;
  if (!unit) return `repeats (${rule})`;
  const interval = Number(parts.get('INTERVAL') ?? '1') || 1;
  const setpos = parts.has('BYSETPOS') && !parts.get('BYSETPOS')!.includes(',') ? Number(parts.get('BYSETPOS')) : undefined;
  let unknown = [...parts.keys()].some((k) => !KNOWN.has(k)) || (parts.has('BYSETPOS') && setpos === undefined);

  const every = interval === 1 ? `every ${unit[0]}` : `every ${interval} ${unit[1]}`;
  let words = every;
  const byday = parts.get('BYDAY')?.split(',');
  const days = byday?.map((d) => dayWords(d, setpos));
  if (days?.some((d) => d === undefined)) unknown = true;
  const dayList = (days ?? []).filter((d): d is string => d !== undefined);
  const weekdays = byday && byday.length === 5 && ['MO', 'TU', 'WE', 'TH', 'FR'].every((d) => byday.includes(d));
  const months = parts.get('BYMONTH')?.split(',').map((m) => MONTH_NAMES[Number(m) - 1] ?? m);
  const monthDay = parts.get('BYMONTHDAY');

  if ((freq === 'DAILY' || freq === 'WEEKLY') && weekdays && interval === 1 && setpos === undefined) words = 'every weekday';
  else if (freq === 'WEEKLY' && dayList.length) words = interval === 1 ? `every ${list(dayList)}` : `${every} on ${list(dayList)}`;
  else if (freq === 'DAILY' && dayList.length) words = `${every}, on ${list(dayList)}`;
  else if (freq === 'MONTHLY' && (dayList.length || monthDay)) {
    words = `${every} on the ${dayList.length ? list(dayList) : monthDayWords(monthDay!)}`;
    if (dayList.length && monthDay) unknown = true;
  } else if (freq === 'YEARLY') {
    if (months && monthDay && !dayList.length) words = `${every} on ${monthDay.split(',').map((d) => (Number(d) > 0 ? `${Number(d)}` : ordinal(Number(d)))).join(', ')} ${list(months)}`;
    else if (months && dayList.length) words = `${every} on the ${list(dayList)} of ${list(months)}`;
    else if (months) words = `${every} in ${list(months)}`;
    else if (monthDay || dayList.length) unknown = true;
  } else if (dayList.length || monthDay) unknown = true;
  if (months && freq !== 'YEARLY') words += ` in ${list(months)}`;

  words += timeWords(parts);
  const count = parts.get('COUNT');
  if (count) words += count === '1' ? ', once' : `, ${count} times`;
  const until = parts.get('UNTIL');
  if (until) words += `, until ${untilWords(until)}`;
  if (fromCompletion) words += ', after each completion';
  return unknown ? `${words} (${rule})` : words;
}
