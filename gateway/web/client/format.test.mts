import assert from 'node:assert/strict';
import { dueText, durationInWords, formatInstant, isOverdue, reminderText } from './format.mjs';

describe('times and reminders as the web page writes them', () => {
  it('writes a due instant in the user\'s zone, not the server\'s or the instant\'s offset', () => {
    assert.equal(formatInstant('2026-12-07T08:00:00Z', 'Europe/Berlin'), 'Mon 7 Dec 2026, 09:00');
    assert.equal(formatInstant('2026-12-07T08:00:00Z', 'America/New_York'), 'Mon 7 Dec 2026, 03:00');
    assert.equal(formatInstant('2026-12-07T09:00:00+01:00', 'UTC'), 'Mon 7 Dec 2026, 08:00');
  });

  it('names the task\'s zone when it differs from the user\'s', () => {
    assert.equal(dueText({ due: '2026-12-07T08:00:00Z', timezone: 'UTC' }, 'UTC'), 'due Mon 7 Dec 2026, 08:00');
    assert.match(dueText({ due: '2026-12-07T08:00:00Z', timezone: 'Asia/Tokyo' }, 'UTC'), /the task's zone is Asia\/Tokyo/);
    assert.equal(dueText({ due: null, timezone: 'UTC' }, 'UTC'), 'no due date');
  });

  it('puts reminder offsets into words', () => {
    assert.equal(durationInWords('PT15M'), '15 minutes');
    assert.equal(durationInWords('P1DT2H'), '1 day 2 hours');
    assert.equal(durationInWords('P2W'), '2 weeks');
    assert.equal(reminderText({ id: 'r', before: 'PT0S' }, 'UTC'), 'at the due time');
    assert.equal(reminderText({ id: 'r', before: 'PT1H' }, 'UTC'), '1 hour before');
    assert.equal(reminderText({ id: 'r', at: '2026-12-07T08:00:00Z' }, 'Europe/Berlin'), 'at Mon 7 Dec 2026, 09:00');
  });

  it('calls only open tasks past their due overdue', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    assert.equal(isOverdue({ due: '2026-12-07T09:00:00Z', status: 'open' }, now), true);
    assert.equal(isOverdue({ due: '2026-12-07T09:00:00Z', status: 'completed' }, now), false);
    assert.equal(isOverdue({ due: '2026-12-07T11:00:00Z', status: 'open' }, now), false);
    assert.equal(isOverdue({ due: null, status: 'open' }, now), false);
  });
});
