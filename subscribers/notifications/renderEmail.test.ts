import assert from 'node:assert/strict';
import { formatInZone, renderReminderEmail, taskLink } from './renderEmail';

const task = { id: 'task-1', title: 'Send the report', description: 'Numbers for Q4, to Anna.', due: '2026-12-01T08:00:00.000Z' };
const base = { task, fireAt: '2026-12-01T07:45:00.000Z', timezone: 'Europe/Berlin', publicBaseUrl: 'https://todo.example.com' };

describe('reminder email rendering', () => {
  it('writes the due time in the given zone, as people read it', () => {
    assert.equal(formatInZone('2026-12-01T08:00:00Z', 'Europe/Berlin'), 'Tuesday 1 December 2026, 09:00 (Europe/Berlin)');
    assert.equal(formatInZone('2026-12-01T08:00:00Z', 'America/New_York'), 'Tuesday 1 December 2026, 03:00 (America/New_York)');
  });

  it('follows daylight saving time: the same 09:00 wall clock before and after the change', () => {
    // Berlin leaves summer time on 25 October 2026: 07:00Z is 09:00 before, 08:00Z is 09:00 after.
    assert.equal(formatInZone('2026-10-24T07:00:00Z', 'Europe/Berlin'), 'Saturday 24 October 2026, 09:00 (Europe/Berlin)');
    assert.equal(formatInZone('2026-10-26T08:00:00Z', 'Europe/Berlin'), 'Monday 26 October 2026, 09:00 (Europe/Berlin)');
    // The repeated hour of the change night: two instants an hour apart read 02:30 both times.
    assert.equal(formatInZone('2026-10-25T00:30:00Z', 'Europe/Berlin'), 'Sunday 25 October 2026, 02:30 (Europe/Berlin)');
    assert.equal(formatInZone('2026-10-25T01:30:00Z', 'Europe/Berlin'), 'Sunday 25 October 2026, 02:30 (Europe/Berlin)');
  });

  it('writes midnight as 00:00, not 24:00', () => {
    assert.equal(formatInZone('2026-12-31T23:00:00Z', 'Europe/Berlin'), 'Friday 1 January 2027, 00:00 (Europe/Berlin)');
  });

  it('falls back to UTC for a zone the runtime does not know, and says so', () => {
    assert.equal(formatInZone('2026-12-01T08:00:00Z', 'Mars/Olympus_Mons'), 'Tuesday 1 December 2026, 08:00 (UTC)');
  });

  it('has a readable subject and a body with title, due time, description and the task link', () => {
    const m = renderReminderEmail(base);
    assert.equal(m.subject, 'Reminder: Send the report');
    assert.equal(m.text, [
      'Send the report', '', 'Due: Tuesday 1 December 2026, 09:00 (Europe/Berlin)', '', 'Numbers for Q4, to Anna.', '',
      'Open the task: https://todo.example.com/v1/tasks/task-1', '',
    ].join('\n'));
  });

  it('leaves out the description when there is none', () => {
    const m = renderReminderEmail({ ...base, task: { ...task, description: '  ' } });
    assert.doesNotMatch(m.text, /\n\n\n/);
    assert.deepEqual(m.text.split('\n').filter(Boolean), ['Send the report', 'Due: Tuesday 1 December 2026, 09:00 (Europe/Berlin)', 'Open the task: https://todo.example.com/v1/tasks/task-1']);
  });

  it('shows the reminder time when the task has no due time', () => {
    const m = renderReminderEmail({ ...base, task: { ...task, due: null } });
    assert.match(m.text, /^Reminder set for: Tuesday 1 December 2026, 08:45 \(Europe\/Berlin\)$/m);
    assert.doesNotMatch(m.text, /Due:/);
  });

  it('keeps a title with line breaks on one subject line', () => {
    const m = renderReminderEmail({ ...base, task: { ...task, title: 'Pay rent\r\nBcc: evil@example.com' } });
    assert.equal(m.subject, 'Reminder: Pay rent Bcc: evil@example.com');
    assert.doesNotMatch(m.subject, /[\r\n]/);
  });

  it('builds the link from the public base URL with or without a trailing slash, and escapes the id', () => {
    assert.equal(taskLink('https://todo.example.com/', 'abc'), 'https://todo.example.com/v1/tasks/abc');
    assert.equal(taskLink('http://127.0.0.1:8080', 'a/b c'), 'http://127.0.0.1:8080/v1/tasks/a%2Fb%20c');
  });

  it('says a reminder is late, and for when it was set, when it fired 10 s or more after its time; not otherwise', () => {
    const late = renderReminderEmail({ ...base, firedAt: '2026-12-01T07:45:40.000Z' });
    assert.match(late.text, /This reminder is late: it was set for Tuesday 1 December 2026, 08:45 \(Europe\/Berlin\)\./);
    assert.doesNotMatch(renderReminderEmail({ ...base, firedAt: '2026-12-01T07:45:00.300Z' }).text, /late/);
    assert.doesNotMatch(renderReminderEmail(base).text, /late/);
  });
});
