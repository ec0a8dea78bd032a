/** The text of a reminder email: pure, so what a person reads is pinned down by unit tests. */
import type { Task } from '../../common/tasks/task';

export interface ReminderEmail {
  subject: string;
  text: string;
}

export interface RenderInput {
  task: Pick<Task, 'id' | 'title' | 'description' | 'due'>;
  /** When the reminder was scheduled to fire (shown when the task has no due time). */
  fireAt: string;
  /** When the actor handled it; this much after fireAt, the email says it is late (and for when it was set). */
  firedAt?: string;
  /** The zone to write times in; an unknown zone falls back to UTC rather than failing the email. */
  timezone: string;
  /** The public URL of the REST API, without a trailing slash or with one. */
  publicBaseUrl: string;
}

function zoneOrUtc(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/**
 * An instant as people write it in that zone: "Tuesday 1 December 2026, 09:00 (Europe/Berlin)".
 * Built from parts, so the layout does not depend on the ICU version's punctuation for en-GB.
 */
export function formatInZone(instant: string | Date, timezone: string): string {
  const zone = zoneOrUtc(timezone);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('weekday')} ${p('day')} ${p('month')} ${p('year')}, ${p('hour')}:${p('minute')} (${zone})`;
}

/** Header values must stay on one line: a title with line breaks must not start new headers. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

export function taskLink(publicBaseUrl: string, taskId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v1/tasks/${encodeURIComponent(taskId)}`;
}

/** A reminder handled this long after its time says so in its email (e.g. one set for a moment that had just passed). */
export const LATE_NOTICE_MS = 10_000;

export function renderReminderEmail(input: RenderInput): ReminderEmail {
  const { task } = input;
  const title = oneLine(task.title);
  const when = task.due
    ? `Due: ${formatInZone(task.due, input.timezone)}`
    : `Reminder set for: ${formatInZone(input.fireAt, input.timezone)}`;
  const lines = [title, '', when];
  if (input.firedAt && Date.parse(input.firedAt) - Date.parse(input.fireAt) >= LATE_NOTICE_MS) {
    lines.push(`This reminder is late: it was set for ${formatInZone(input.fireAt, input.timezone)}.`);
  }
  const description = task.description.trim();
  if (description) lines.push('', description);
  lines.push('', `Open the task: ${taskLink(input.publicBaseUrl, task.id)}`, '');
  return { subject: `Reminder: ${title}`, text: lines.join('\n') };
}
