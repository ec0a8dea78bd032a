/** How the page writes times, reminders and priorities: in the user's zone, in English. */
import type { Reminder, Task } from './types.mjs';

/** "Mon 7 Dec 2026, 09:00" in the given zone (24-hour clock). */
export function formatInstant(iso: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')}`;
}

/** The due text of a task for a person in `zone`, with the task's own zone when it differs. */
export function dueText(task: Pick<Task, 'due' | 'timezone'>, zone: string): string {
  if (!task.due) return 'no due date';
  const base = `due ${formatInstant(task.due, zone)}`;
  return task.timezone && task.timezone !== zone ? `${base} (your time; the task's zone is ${task.timezone})` : base;
}

export function isOverdue(task: Pick<Task, 'due' | 'status'>, now: number): boolean {
  return task.status === 'open' && task.due !== null && new Date(task.due).getTime() < now;
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO 8601 duration (as reminders' `before` are) in words: "PT15M" → "15 minutes". */
export function durationInWords(iso: string): string {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso === 'PT') return iso;
  const names = ['week', 'day', 'hour', 'minute', 'second'];
  const words = m.slice(1).flatMap((v, i) => (v === undefined || Number(v) === 0 ? [] : [`${Number(v)} ${names[i]}${Number(v) === 1 ? '' : 's'}`]));
  return words.length ? words.join(' ') : '0 minutes';
}

export function reminderText(r: Reminder, zone: string): string {
  if ('at' in r) return `at ${formatInstant(r.at, zone)}`;
  const words = durationInWords(r.before);
  return words === '0 minutes' ? 'at the due time' : `${words} before`;
}

export const PRIORITY_LABEL: Record<Task['priority'], string> = { none: 'no', low: 'low', medium: 'medium', high: 'high', urgent: 'urgent' };
