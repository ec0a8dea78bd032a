import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dueArb, zoneArb } from './arbitraries';
import { parseIsoDuration } from './isoDuration';
import { fireTimeBefore, reminderTimes, type ReminderSpec } from './reminderTimes';

function before(due: string, zone: string, duration: string): string {
  const r = parseIsoDuration(duration);
  if (!r.ok) throw new Error(r.message);
  return fireTimeBefore(new Date(due), zone, r.duration).toISOString();
}

describe('recurrence/reminderTimes: when reminders fire', () => {
  it('counts days on the wall clock: P1D before Sunday 09:00 on Berlin\'s spring-forward day is Saturday 09:00, 23 hours earlier', () => {
    assert.equal(before('2026-03-29T07:00:00Z', 'Europe/Berlin', 'P1D'), '2026-03-28T08:00:00.000Z');
    assert.equal(before('2026-03-29T07:00:00Z', 'Europe/Berlin', 'PT24H'), '2026-03-28T07:00:00.000Z'); // 08:00 Saturday
    assert.equal(before('2026-10-25T08:00:00Z', 'Europe/Berlin', 'P1D'), '2026-10-24T07:00:00.000Z'); // fall back: 25 hours earlier
  });

  it('counts weeks and months on the wall clock too, clamping to the shorter month', () => {
    assert.equal(before('2026-03-10T13:00:00Z', 'America/New_York', 'P1W'), '2026-03-03T14:00:00.000Z'); // 09:00 EDT → 09:00 EST
    assert.equal(before('2026-03-31T07:00:00Z', 'Europe/Berlin', 'P1M'), '2026-02-28T08:00:00.000Z');
    assert.equal(before('2024-02-29T09:00:00Z', 'UTC', 'P1Y'), '2023-02-28T09:00:00.000Z');
  });

  it('takes the calendar part first, then the clock part in elapsed time', () => {
    assert.equal(before('2026-03-29T07:00:00Z', 'Europe/Berlin', 'P1DT2H'), '2026-03-28T06:00:00.000Z');
    assert.equal(before('2026-03-29T07:00:00Z', 'Europe/Berlin', 'PT15M'), '2026-03-29T06:45:00.000Z');
    assert.equal(before('2026-03-29T07:00:00Z', 'Europe/Berlin', 'PT0S'), '2026-03-29T07:00:00.000Z');
    assert.equal(before('2026-01-02T09:00:00.500Z', 'UTC', 'P1D'), '2026-01-01T09:00:00.500Z');
  });

  it('moves a time in a DST gap forward by the gap, and takes the first of a repeated time', () => {
    // Monday 02:30 CEST; Sunday 02:30 did not exist: 03:30 CEST.
    assert.equal(before('2026-03-30T00:30:00Z', 'Europe/Berlin', 'P1D'), '2026-03-29T01:30:00.000Z');
    // Monday 02:30 CET; Sunday 02:30 happened twice: the first, CEST.
    assert.equal(before('2026-10-26T01:30:00Z', 'Europe/Berlin', 'P1D'), '2026-10-25T00:30:00.000Z');
  });

  it('gives every reminder its time in order; before-reminders need a due time, at-reminders do not', () => {
    const reminders: ReminderSpec[] = [{ id: 'a', before: 'PT15M' }, { id: 'b', at: '2026-12-01T08:00:00+01:00' }, { id: 'c', at: new Date('2026-11-30T12:00:00Z') }, { id: 'd', before: 'P1D' }];
    assert.deepEqual(reminderTimes({ due: new Date('2026-12-01T08:00:00Z'), zone: 'Europe/Berlin', reminders }).map((r) => [r.id, r.fireAt.toISOString()]), [
      ['a', '2026-12-01T07:45:00.000Z'], ['b', '2026-12-01T07:00:00.000Z'], ['c', '2026-11-30T12:00:00.000Z'], ['d', '2026-11-30T08:00:00.000Z'],
    ]);
    assert.deepEqual(reminderTimes({ due: null, zone: 'Europe/Berlin', reminders }).map((r) => r.id), ['b', 'c']);
    assert.deepEqual(reminderTimes({ due: null, zone: 'UTC', reminders: [] }), []);
  });

  it('refuses a duration or instant the task schema would have refused', () => {
    assert.throws(() => reminderTimes({ due: new Date(), zone: 'UTC', reminders: [{ id: 'x', before: '15 minutes' }] }), /reminder x: before must be an ISO 8601 duration/);
    assert.throws(() => reminderTimes({ due: null, zone: 'UTC', reminders: [{ id: 'y', at: '2026-12-01T08:00:00' }] }), /reminder y: at must be an instant with an offset/);
    assert.throws(() => reminderTimes({ due: null, zone: 'UTC', reminders: [{ id: 'z', at: new Date(NaN) }] }), RangeError);
  });

  it('never fires after the due time, and fires exactly the clock part earlier when there is no calendar part (property)', () => {
    const small = fc.integer({ min: 0, max: 40 });
    const durationArb = fc.record({ years: fc.integer({ min: 0, max: 2 }), months: small, weeks: small, days: small, hours: small, minutes: small, seconds: small });
    fc.assert(fc.property(dueArb, zoneArb, durationArb, (due, zone, d) => {
      const fire = fireTimeBefore(due, zone, d);
      assert.ok(fire <= due, `${fire.toISOString()} after ${due.toISOString()}`);
      const clock = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
      if (!d.years && !d.months && !d.weeks && !d.days) assert.equal(due.getTime() - fire.getTime(), clock);
      if (zone === 'UTC') {
        const calendar = new Date(due);
        calendar.setUTCFullYear(due.getUTCFullYear() - d.years, due.getUTCMonth() - d.months, 1);
        const lastDay = new Date(Date.UTC(calendar.getUTCFullYear(), calendar.getUTCMonth() + 1, 0)).getUTCDate();
        calendar.setUTCDate(Math.min(due.getUTCDate(), lastDay) - d.weeks * 7 - d.days);
        assert.equal(fire.getTime(), calendar.getTime() - clock);
      }
    }), { numRuns: 500 });
  });
});
