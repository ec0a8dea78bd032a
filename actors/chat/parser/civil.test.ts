import assert from 'node:assert/strict';
import { addDays, addMonths, compareDates, daysInMonth, isValidDate, startOfWeek, weekday } from './civil';

const d = (year: number, month: number, day: number) => ({ year, month, day });

describe('civil dates', () => {
  it('adds days across months, years and leap days', () => {
    assert.deepEqual(addDays(d(2026, 11, 30), 1), d(2026, 12, 1));
    assert.deepEqual(addDays(d(2026, 12, 31), 1), d(2027, 1, 1));
    assert.deepEqual(addDays(d(2028, 2, 28), 1), d(2028, 2, 29));
    assert.deepEqual(addDays(d(2026, 3, 1), -1), d(2026, 2, 28));
  });

  it('adds months, clamping to the last day of a shorter month', () => {
    assert.deepEqual(addMonths(d(2026, 1, 31), 1), d(2026, 2, 28));
    assert.deepEqual(addMonths(d(2026, 11, 15), 2), d(2027, 1, 15));
    assert.deepEqual(addMonths(d(2026, 1, 15), -1), d(2025, 12, 15));
  });

  it('knows weekdays, month lengths and the Monday that starts a week', () => {
    assert.equal(weekday(d(2026, 11, 23)), 1);
    assert.equal(weekday(d(2026, 11, 29)), 0);
    assert.equal(daysInMonth(2028, 2), 29);
    assert.equal(daysInMonth(2026, 2), 28);
    assert.deepEqual(startOfWeek(d(2026, 11, 29)), d(2026, 11, 23));
    assert.deepEqual(startOfWeek(d(2026, 11, 23)), d(2026, 11, 23));
    assert.ok(compareDates(d(2026, 11, 23), d(2026, 11, 24)) < 0);
    assert.equal(isValidDate(d(2026, 2, 29)), false);
    assert.equal(isValidDate(d(2028, 2, 29)), true);
  });
});
