import assert from 'node:assert/strict';
import fc from 'fast-check';
import { daysInMonth, fakeUtcToWallClock, isValidWallClock, shiftWallClock, wallClockToFakeUtc, weekdayOf, type WallClock } from './wallClock';

const w = (year: number, month: number, day: number, hour = 9, minute = 0, second = 0): WallClock => ({ year, month, day, hour, minute, second });

describe('recurrence/wallClock: wall-clock fields and calendar arithmetic', () => {
  it('reads the fields as UTC for rrule, and back, without turning years below 100 into 19xx', () => {
    assert.equal(wallClockToFakeUtc(w(2026, 3, 29, 2, 30)), Date.UTC(2026, 2, 29, 2, 30));
    assert.deepEqual(fakeUtcToWallClock(Date.UTC(2026, 2, 29, 2, 30, 15)), w(2026, 3, 29, 2, 30, 15));
    assert.equal(fakeUtcToWallClock(wallClockToFakeUtc(w(50, 1, 1))).year, 50);
  });

  it('knows leap years and month lengths (Feb 29 only in leap years, none in 1900 or 2100, one in 2000)', () => {
    assert.deepEqual([2024, 2025, 1900, 2000, 2100].map((y) => daysInMonth(y, 2)), [29, 28, 28, 29, 28]);
    assert.equal(isValidWallClock(w(2024, 2, 29)), true);
    assert.equal(isValidWallClock(w(2025, 2, 29)), false);
    assert.equal(isValidWallClock(w(2026, 4, 31)), false);
    assert.equal(isValidWallClock(w(2026, 1, 1, 24)), false);
    assert.equal(isValidWallClock(w(2026, 1, 1, 9, 0, 60)), false);
    assert.equal(isValidWallClock({ ...w(2026, 1, 1), minute: 0.5 }), false);
  });

  it('numbers weekdays from Monday = 0, as rrule does', () => {
    assert.equal(weekdayOf(w(2026, 3, 30)), 0); // a Monday
    assert.equal(weekdayOf(w(1970, 1, 1)), 3); // a Thursday
    assert.equal(weekdayOf(w(1969, 12, 28)), 6); // a Sunday, before the epoch
  });

  it('shifts by months clamping to the shorter month, then by days, keeping the time of day', () => {
    assert.deepEqual(shiftWallClock(w(2026, 3, 31, 9, 15), { months: -1 }), w(2026, 2, 28, 9, 15));
    assert.deepEqual(shiftWallClock(w(2024, 3, 31), { months: -1 }), w(2024, 2, 29));
    assert.deepEqual(shiftWallClock(w(2024, 2, 29), { years: -1 }), w(2023, 2, 28));
    assert.deepEqual(shiftWallClock(w(2026, 1, 1), { days: -1 }), w(2025, 12, 31));
    assert.deepEqual(shiftWallClock(w(2026, 1, 15), { months: -13 }), w(2024, 12, 15));
    // months before days: Mar 31 - (1 month, 1 day) is Feb 27, not Feb 28 (which Mar 30 - 1 month would give)
    assert.deepEqual(shiftWallClock(w(2026, 3, 31), { months: -1, days: -1 }), w(2026, 2, 27));
  });

  it('round-trips every wall-clock time through fake UTC (property)', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1000, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }), (s) => {
      const wall = fakeUtcToWallClock(s * 1000);
      assert.equal(isValidWallClock(wall), true);
      assert.equal(wallClockToFakeUtc(wall), s * 1000);
    }));
  });
});
