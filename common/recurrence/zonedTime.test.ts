import assert from 'node:assert/strict';
import fc from 'fast-check';
import { instantArb, zoneArb } from './arbitraries';
import { fakeUtcToWallClock, wallClockToFakeUtc, type WallClock } from './wallClock';
import {
  instantToWallClock, isKnownTimeZone, resolveWallClock, wallClockToInstant, wallClockToInstantCompatible, zoneOffsetMs,
} from './zonedTime';

const w = (year: number, month: number, day: number, hour: number, minute = 0, second = 0): WallClock => ({ year, month, day, hour, minute, second });
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('recurrence/zonedTime: instants and wall-clock times in IANA zones', () => {
  it('shows an instant on the zone\'s wall clock, winter and summer, and at odd offsets', () => {
    assert.deepEqual(instantToWallClock(new Date('2026-01-15T08:00:00Z'), 'Europe/Berlin'), w(2026, 1, 15, 9));
    assert.deepEqual(instantToWallClock(new Date('2026-07-15T07:00:00Z'), 'Europe/Berlin'), w(2026, 7, 15, 9));
    assert.deepEqual(instantToWallClock(new Date('2026-01-01T00:00:00Z'), 'Asia/Kathmandu'), w(2026, 1, 1, 5, 45));
    assert.deepEqual(instantToWallClock(new Date('2026-01-01T00:00:00Z'), 'Australia/Sydney'), w(2026, 1, 1, 11));
    assert.deepEqual(instantToWallClock(new Date('2026-01-01T00:00:59.999Z'), 'UTC'), w(2026, 1, 1, 0, 0, 59));
  });

  it('gives the offset in force, in milliseconds (wall clock minus UTC)', () => {
    assert.equal(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin'), 3_600_000);
    assert.equal(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'America/New_York'), -4 * 3_600_000);
    assert.equal(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata'), 5.5 * 3_600_000);
  });

  it('finds no instant for 02:30 in Berlin\'s spring-forward gap (2026-03-29), and moves it past the gap only when asked', () => {
    const r = resolveWallClock(w(2026, 3, 29, 2, 30), 'Europe/Berlin');
    assert.deepEqual(r, { kind: 'nonexistent', shifted: new Date('2026-03-29T01:30:00Z'), gapMs: 3_600_000 });
    assert.equal(wallClockToInstant(w(2026, 3, 29, 2, 30), 'Europe/Berlin'), null);
    assert.equal(iso(wallClockToInstantCompatible(w(2026, 3, 29, 2, 30), 'Europe/Berlin')), '2026-03-29T01:30:00.000Z'); // 03:30 CEST
    assert.equal(iso(wallClockToInstant(w(2026, 3, 29, 1, 59, 59), 'Europe/Berlin')), '2026-03-29T00:59:59.000Z');
    assert.equal(iso(wallClockToInstant(w(2026, 3, 29, 3, 0), 'Europe/Berlin')), '2026-03-29T01:00:00.000Z');
  });

  it('finds two instants for 02:30 on Berlin\'s fall-back day (2026-10-25) and takes the first', () => {
    assert.deepEqual(resolveWallClock(w(2026, 10, 25, 2, 30), 'Europe/Berlin'),
      { kind: 'ambiguous', earlier: new Date('2026-10-25T00:30:00Z'), later: new Date('2026-10-25T01:30:00Z') });
    assert.equal(iso(wallClockToInstant(w(2026, 10, 25, 2, 30), 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
    assert.equal(iso(wallClockToInstantCompatible(w(2026, 10, 25, 2, 30), 'Europe/Berlin')), '2026-10-25T00:30:00.000Z');
  });

  it('handles New York (gap at 02:00, overlap at 01:00) and southern-hemisphere Sydney (April overlap, October gap)', () => {
    assert.deepEqual(resolveWallClock(w(2026, 3, 8, 2, 30), 'America/New_York'), { kind: 'nonexistent', shifted: new Date('2026-03-08T07:30:00Z'), gapMs: 3_600_000 });
    assert.deepEqual(resolveWallClock(w(2026, 11, 1, 1, 30), 'America/New_York'),
      { kind: 'ambiguous', earlier: new Date('2026-11-01T05:30:00Z'), later: new Date('2026-11-01T06:30:00Z') });
    assert.deepEqual(resolveWallClock(w(2026, 4, 5, 2, 30), 'Australia/Sydney'),
      { kind: 'ambiguous', earlier: new Date('2026-04-04T15:30:00Z'), later: new Date('2026-04-04T16:30:00Z') });
    assert.deepEqual(resolveWallClock(w(2026, 10, 4, 2, 30), 'Australia/Sydney'), { kind: 'nonexistent', shifted: new Date('2026-10-03T16:30:00Z'), gapMs: 3_600_000 });
  });

  it('has a unique instant for every time in a zone without DST (Asia/Kolkata)', () => {
    assert.deepEqual(resolveWallClock(w(2026, 3, 29, 2, 30), 'Asia/Kolkata'), { kind: 'unique', instant: new Date('2026-03-28T21:00:00Z') });
    assert.deepEqual(resolveWallClock(w(2026, 10, 25, 2, 30), 'Asia/Kolkata'), { kind: 'unique', instant: new Date('2026-10-24T21:00:00Z') });
  });

  it('handles a 30-minute DST change (Lord Howe) and a skipped day (Samoa left out 2011-12-30)', () => {
    assert.deepEqual(resolveWallClock(w(2026, 10, 4, 2, 15), 'Australia/Lord_Howe'), { kind: 'nonexistent', shifted: new Date('2026-10-03T15:45:00Z'), gapMs: 1_800_000 });
    assert.deepEqual(resolveWallClock(w(2026, 4, 5, 1, 45), 'Australia/Lord_Howe'),
      { kind: 'ambiguous', earlier: new Date('2026-04-04T14:45:00Z'), later: new Date('2026-04-04T15:15:00Z') });
    assert.deepEqual(resolveWallClock(w(2011, 12, 30, 12), 'Pacific/Apia'), { kind: 'nonexistent', shifted: new Date('2011-12-30T22:00:00Z'), gapMs: 86_400_000 });
    assert.equal(iso(wallClockToInstant(w(2011, 12, 31, 12), 'Pacific/Apia')), '2011-12-30T22:00:00.000Z');
  });

  it('refuses a wall-clock time that is not a date, and knows which zones exist', () => {
    assert.throws(() => resolveWallClock(w(2026, 2, 30, 9), 'UTC'), RangeError);
    assert.equal(isKnownTimeZone('Europe/Berlin'), true);
    assert.equal(isKnownTimeZone('Mars/Olympus'), false);
    assert.throws(() => instantToWallClock(new Date(), 'Mars/Olympus'), RangeError);
  });

  it('maps every instant back to itself, or to the first instant showing the same time (property)', () => {
    fc.assert(fc.property(instantArb, zoneArb, (instant, zone) => {
      const wall = instantToWallClock(instant, zone);
      const r = resolveWallClock(wall, zone);
      assert.notEqual(r.kind, 'nonexistent');
      if (r.kind === 'unique') assert.equal(r.instant.getTime(), instant.getTime());
      if (r.kind === 'ambiguous') {
        assert.ok([r.earlier.getTime(), r.later.getTime()].includes(instant.getTime()));
        assert.equal(wallClockToInstant(wall, zone)?.getTime(), r.earlier.getTime());
      }
    }), { numRuns: 500 });
  });

  it('resolves any wall-clock time consistently: instants show it, a gap\'s shifted instant shows it moved by the gap (property)', () => {
    fc.assert(fc.property(instantArb, zoneArb, fc.integer({ min: -3, max: 3 }), (instant, zone, hours) => {
      // Wall-clock times near real instants, moved by whole hours so gaps and overlaps come up.
      const wall = instantToWallClock(new Date(instant.getTime() + hours * 3_600_000), zone);
      const shown = (d: Date) => wallClockToFakeUtc(instantToWallClock(d, zone));
      const r = resolveWallClock(wall, zone);
      if (r.kind === 'unique') assert.equal(shown(r.instant), wallClockToFakeUtc(wall));
      if (r.kind === 'ambiguous') {
        assert.ok(r.earlier < r.later);
        assert.equal(shown(r.earlier), wallClockToFakeUtc(wall));
        assert.equal(shown(r.later), wallClockToFakeUtc(wall));
      }
      if (r.kind === 'nonexistent') assert.equal(shown(r.shifted) - wallClockToFakeUtc(wall), r.gapMs);
    }), { numRuns: 500 });
  });

  it('finds the gap or overlap of every DST change in a year, in both hemispheres (property)', () => {
    // These zones change offset on a whole UTC hour, so an hourly walk lands on each change; the
    // wall-clock times halfway through the jump are in the gap (clock forward) or the overlap (back).
    fc.assert(fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Santiago'), fc.integer({ min: 2000, max: 2040 }), (zone, year) => {
      let prev = zoneOffsetMs(Date.UTC(year, 0, 1), zone);
      let changes = 0;
      for (let h = 1; h < 365 * 24; h++) {
        const at = Date.UTC(year, 0, 1) + h * 3_600_000;
        const now = zoneOffsetMs(at, zone);
        if (now !== prev) {
          changes += 1;
          const halfway = fakeUtcToWallClock(at + Math.min(prev, now) + Math.abs(now - prev) / 2);
          assert.equal(resolveWallClock(halfway, zone).kind, now > prev ? 'nonexistent' : 'ambiguous', `${zone} ${new Date(at).toISOString()}`);
        }
        prev = now;
      }
      assert.ok(changes === 2 || (zone === 'America/Santiago' && year === 2015), `${changes} changes`); // Chile kept summer time through 2015
    }), { numRuns: 12 });
  });
});
