import assert from 'node:assert/strict';
import { defuse, findDates, readWhen, resolveWhen } from './dates';
import { iso } from './zone';
import { zoned } from './zoned';

const due = (text: string, now: string, zone = 'Europe/Berlin'): string | undefined => {
  const z = zoned(new Date(now), zone);
  const { when } = readWhen(text, z);
  return when ? iso(resolveWhen(when, z)) : undefined;
};
const MONDAY = '2026-11-23T10:00:00Z'; // 11:00 in Berlin, 05:00 in New York

describe('dates and times in the user zone', () => {
  it('reads "tomorrow at 9" in Berlin as 08:00Z in winter, 07:00Z in summer and across the spring change', () => {
    assert.equal(due('tomorrow at 9', MONDAY), '2026-11-24T08:00:00.000Z');
    assert.equal(due('tomorrow at 9', '2026-07-01T10:00:00Z'), '2026-07-02T07:00:00.000Z');
    assert.equal(due('tomorrow at 9', '2026-03-28T10:00:00Z'), '2026-03-29T07:00:00.000Z');
    assert.equal(due('tomorrow at 9', '2026-10-24T10:00:00Z'), '2026-10-25T08:00:00.000Z');
  });

  it('reads the same words in another zone', () => {
    assert.equal(due('tomorrow at 9', MONDAY, 'America/New_York'), '2026-11-24T14:00:00.000Z');
    assert.equal(due('tomorrow at 9', MONDAY, 'UTC'), '2026-11-24T09:00:00.000Z');
    // 00:30 on Monday in Tokyo is still Sunday in UTC: "tomorrow" is Tokyo's.
    assert.equal(due('tomorrow at 9', '2026-11-22T15:30:00Z', 'Asia/Tokyo'), '2026-11-24T00:00:00.000Z');
  });

  it('puts a date without a time at 09:00, and "today" after 09:00 at 23:59', () => {
    assert.equal(due('on dec 3', MONDAY), '2026-12-03T08:00:00.000Z');
    assert.equal(due('today', MONDAY), '2026-11-23T22:59:00.000Z');
    assert.equal(due('today', MONDAY, 'America/New_York'), '2026-11-23T14:00:00.000Z');
  });

  it('rolls a time that has passed today to tomorrow, but keeps a past time on a date that was said', () => {
    assert.equal(due('at 9am', MONDAY), '2026-11-24T08:00:00.000Z');
    assert.equal(due('at noon', MONDAY), '2026-11-23T11:00:00.000Z');
    assert.equal(due('today at 8am', MONDAY), '2026-11-23T07:00:00.000Z');
  });

  it('takes a bare weekday as the next one after today, even when today is that day', () => {
    assert.equal(due('friday', MONDAY), '2026-11-27T08:00:00.000Z');
    assert.equal(due('monday', MONDAY), '2026-11-30T08:00:00.000Z');
    assert.equal(due('on sat', MONDAY), '2026-11-28T08:00:00.000Z');
  });

  it('reads an hour from 1 to 6 without am/pm as pm, and parts of the day as fixed times', () => {
    assert.equal(due('tomorrow at 5', MONDAY), '2026-11-24T16:00:00.000Z');
    assert.equal(due('tomorrow at 8', MONDAY), '2026-11-24T07:00:00.000Z');
    assert.equal(due('tomorrow at 05:00', MONDAY), '2026-11-24T04:00:00.000Z');
    assert.equal(due('tomorrow morning', MONDAY), '2026-11-24T08:00:00.000Z');
    assert.equal(due('tomorrow evening', MONDAY), '2026-11-24T18:00:00.000Z');
    assert.equal(due('tonight', MONDAY), '2026-11-23T19:00:00.000Z');
  });

  it('makes "in 2 hours" an exact instant, also across a DST change', () => {
    assert.equal(due('in 2 hours', MONDAY), '2026-11-23T12:00:00.000Z');
    assert.equal(due('in 2 hours', '2026-03-29T00:30:00Z'), '2026-03-29T02:30:00.000Z');
  });

  it('honours an explicit zone abbreviation', () => {
    assert.equal(due('tomorrow at 3pm EST', MONDAY), '2026-11-24T20:00:00.000Z');
  });

  it('does not take counts, months alone, weekday-like words or parts of the day as dates', () => {
    const z = zoned(new Date(MONDAY), 'Europe/Berlin');
    for (const text of ['buy 2 days of food', 'read march report', 'buy sun cream', 'night shift', 'call 3 people', 'read 1984'])
      assert.deepEqual(findDates(text, z), [], text);
  });

  it('joins a date and a time that other words separate, and leaves the rest of the text', () => {
    const z = zoned(new Date(MONDAY), 'Europe/Berlin');
    const hole = '\u0000';
    const r = readWhen(`buy milk tomorrow ${hole.repeat(8)} at 5pm`, z);
    assert.deepEqual(r.when, { date: { year: 2026, month: 11, day: 24 }, time: { hour: 17, minute: 0 } });
    assert.equal(r.work.startsWith('buy milk '), true);
    assert.equal(r.work.replaceAll('\u0000', '').trim(), 'buy milk');
  });

  it('defuses runs of durations that make chrono backtrack, keeping the length', () => {
    const run = '30 minutes '.repeat(60);
    assert.equal(defuse(run).length, run.length);
    assert.equal(defuse('in 2 hours 30 minutes'), 'in 2 hours,30 minutes');
    const z = zoned(new Date(MONDAY), 'UTC');
    findDates(run, z); // exponential backtracking here would hang until the test's timeout
  });
});
