import assert from 'node:assert/strict';
import { durationText, whenText } from './whenText';

describe('whenText: instants for a person, in their zone', () => {
  const now = new Date('2026-11-23T10:00:00Z'); // Monday, 11:00 in Berlin, 05:00 in New York

  it('says today, tomorrow, yesterday and the weekday within a week, in the zone\'s wall-clock time', () => {
    assert.equal(whenText(new Date('2026-11-23T16:00:00Z'), now, 'Europe/Berlin'), 'today at 5:00 PM');
    assert.equal(whenText(new Date('2026-11-24T08:00:00Z'), now, 'Europe/Berlin'), 'tomorrow at 9:00 AM');
    assert.equal(whenText(new Date('2026-11-22T08:00:00Z'), now, 'Europe/Berlin'), 'yesterday at 9:00 AM');
    assert.equal(whenText(new Date('2026-11-27T14:00:00Z'), now, 'Europe/Berlin'), 'Friday at 3:00 PM');
  });

  it('counts days in the user\'s zone, not in UTC: 23:30 UTC Monday is Tuesday in Berlin and Monday in New York', () => {
    const at = new Date('2026-11-23T23:30:00Z');
    assert.equal(whenText(at, now, 'Europe/Berlin'), 'tomorrow at 12:30 AM');
    assert.equal(whenText(at, now, 'America/New_York'), 'today at 6:30 PM');
  });

  it('writes a date further away, with the year only when it is not this year', () => {
    assert.equal(whenText(new Date('2026-12-01T08:00:00Z'), now, 'Europe/Berlin'), 'Tue, Dec 1 at 9:00 AM');
    assert.equal(whenText(new Date('2027-01-04T08:00:00Z'), now, 'Europe/Berlin'), 'Mon, Jan 4, 2027 at 9:00 AM');
  });

  it('keeps the wall-clock time across a DST change (Berlin, 29 March 2027)', () => {
    const before = new Date('2027-03-26T10:00:00Z');
    assert.equal(whenText(new Date('2027-03-29T07:00:00Z'), before, 'Europe/Berlin'), 'Monday at 9:00 AM');
  });

  it('writes ISO 8601 durations as words', () => {
    assert.equal(durationText('PT30M'), '30 minutes');
    assert.equal(durationText('PT1H'), '1 hour');
    assert.equal(durationText('P1D'), '1 day');
    assert.equal(durationText('P1W'), '1 week');
    assert.equal(durationText('P1DT2H'), '1 day 2 hours');
    assert.equal(durationText('PT0M'), '0 minutes');
  });
});
