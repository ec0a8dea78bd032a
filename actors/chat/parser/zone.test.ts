import assert from 'node:assert/strict';
import { instantOf, isValidZone, offsetAt, wallAt } from './zone';

const utc = (s: string) => Date.parse(s);
const wall = (y: number, mo: number, d: number, h: number, mi: number) => ({ year: y, month: mo, day: d, hour: h, minute: mi });

describe('IANA zones', () => {
  it('knows the offset in force at an instant, daylight saving included', () => {
    assert.equal(offsetAt('Europe/Berlin', utc('2026-01-15T12:00:00Z')), 60);
    assert.equal(offsetAt('Europe/Berlin', utc('2026-07-15T12:00:00Z')), 120);
    assert.equal(offsetAt('America/New_York', utc('2026-07-15T12:00:00Z')), -240);
    assert.equal(offsetAt('Asia/Kolkata', utc('2026-07-15T12:00:00Z')), 330);
    assert.equal(offsetAt('UTC', utc('2026-07-15T12:00:00Z')), 0);
  });

  it('reads the wall clock at an instant', () => {
    assert.deepEqual(wallAt('America/New_York', utc('2026-11-23T10:00:00Z')), wall(2026, 11, 23, 5, 0));
    assert.deepEqual(wallAt('Asia/Tokyo', utc('2026-12-31T20:30:00Z')), wall(2027, 1, 1, 5, 30));
  });

  it('turns a wall-clock reading into the instant with the offset of that date, not of today', () => {
    assert.equal(new Date(instantOf('Europe/Berlin', wall(2026, 1, 15, 9, 0))).toISOString(), '2026-01-15T08:00:00.000Z');
    assert.equal(new Date(instantOf('Europe/Berlin', wall(2026, 7, 15, 9, 0))).toISOString(), '2026-07-15T07:00:00.000Z');
    assert.equal(new Date(instantOf('Europe/Berlin', wall(2026, 3, 29, 9, 0))).toISOString(), '2026-03-29T07:00:00.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap, and takes the earlier of a repeated hour', () => {
    // Berlin 2026-03-29: 02:00 → 03:00, so 02:30 does not exist and is read as 03:30 CEST.
    assert.equal(new Date(instantOf('Europe/Berlin', wall(2026, 3, 29, 2, 30))).toISOString(), '2026-03-29T01:30:00.000Z');
    // Berlin 2026-10-25: 03:00 → 02:00, so 02:30 happens twice; the first (CEST) is taken.
    assert.equal(new Date(instantOf('Europe/Berlin', wall(2026, 10, 25, 2, 30))).toISOString(), '2026-10-25T00:30:00.000Z');
    // New York 2026-11-01: 01:30 happens twice; the first (EDT) is taken.
    assert.equal(new Date(instantOf('America/New_York', wall(2026, 11, 1, 1, 30))).toISOString(), '2026-11-01T05:30:00.000Z');
  });

  it('round-trips instants spread over a year, in zones with odd offsets and DST', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC']) {
      for (let t = utc('2026-01-01T00:00:00Z'); t < utc('2027-01-01T00:00:00Z'); t += 15 * 60_000 * 97) {
        const w = wallAt(zone, t);
        const back = instantOf(zone, w);
        assert.deepEqual(wallAt(zone, back), w, `${zone} ${new Date(t).toISOString()}`);
        assert.ok(Math.abs(back - t) <= 3_600_000, `${zone} ${new Date(t).toISOString()}`);
      }
    }
  });

  it('tells valid zone names from invalid ones', () => {
    assert.equal(isValidZone('Europe/Berlin'), true);
    assert.equal(isValidZone('UTC'), true);
    for (const bad of ['Mars/Olympus', '', 'x'.repeat(100), 42, undefined, null]) assert.equal(isValidZone(bad), false);
  });
});
