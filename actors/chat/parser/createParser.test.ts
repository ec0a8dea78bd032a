import assert from 'node:assert/strict';
import { parseCreate } from './createParser';
import type { CreateIntent, ParsedIntent } from './types';
import { zoned } from './zoned';

const z = zoned(new Date('2026-11-23T10:00:00Z'), 'Europe/Berlin'); // Monday 11:00 in Berlin
const create = (r: ParsedIntent): CreateIntent => {
  assert.equal(r.intent, 'create', JSON.stringify(r));
  return r as CreateIntent;
};

describe('new tasks', () => {
  it('takes every phrase out of the title, wherever it stands', () => {
    const r = create(parseCreate('#home p2 pay rent 1 day before on the 1st of every month at 9am', z));
    assert.deepEqual(r, {
      intent: 'create', title: 'pay rent', due: '2026-12-01T08:00:00.000Z', timezone: 'Europe/Berlin', priority: 'high', tags: ['home'],
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' }, reminders: [{ before: 'P1D' }],
    });
  });

  it('uses quoted words as the title, as they are', () => {
    assert.equal(create(parseCreate('"Meet at 5 #not-a-tag" tomorrow #real', z)).title, 'Meet at 5 #not-a-tag');
  });

  it('adds a reminder at the due time for "remind me to", only when there is a due and no other reminder', () => {
    assert.deepEqual(create(parseCreate('call mom tomorrow', z, { remindAtDue: true })).reminders, [{ before: 'PT0M' }]);
    assert.equal(create(parseCreate('call mom', z, { remindAtDue: true })).reminders, undefined);
    assert.deepEqual(create(parseCreate('call mom tomorrow 1 hour before', z, { remindAtDue: true })).reminders, [{ before: 'PT1H' }]);
    assert.equal(create(parseCreate('call mom tomorrow', z)).reminders, undefined);
  });

  it('ends a series with COUNT for a span in its own unit, with UNTIL (end of that day) otherwise', () => {
    assert.equal(create(parseCreate('pills every day for 5 days', z)).recurrence?.rule, 'FREQ=DAILY;COUNT=5');
    assert.equal(create(parseCreate('pills every 2 days for 10 days', z)).recurrence?.rule, 'FREQ=DAILY;INTERVAL=2;COUNT=5');
    assert.equal(create(parseCreate('pills every day 3 times', z)).recurrence?.rule, 'FREQ=DAILY;COUNT=3');
    // First due Tuesday 24th; two weeks of weekdays end on Monday 7 December, 23:59:59 in Berlin.
    assert.equal(create(parseCreate('standup every weekday for 2 weeks', z)).recurrence?.rule, 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261207T225959Z');
    assert.equal(create(parseCreate('gym every monday until december 31', z)).recurrence?.rule, 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T225959Z');
  });

  it('starts a series on its start date, and takes a time said with the start or end date', () => {
    const r = create(parseCreate('gym every monday starting december 7 until december 31 at 6pm', z));
    assert.equal(r.due, '2026-12-07T17:00:00.000Z');
    assert.equal(r.recurrence?.rule, 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T225959Z');
    assert.equal(create(parseCreate('journal every weekday until dec 31 at 9pm', z)).due, '2026-11-23T20:00:00.000Z');
  });

  it('repeats from completion for "every!" and "after completion"', () => {
    assert.equal(create(parseCreate('every! 3 days water plants', z)).recurrence?.from, 'completion');
    assert.equal(create(parseCreate('water plants every 3 days after I finish it', z)).recurrence?.from, 'completion');
    assert.equal(create(parseCreate('water plants every 3 days', z)).recurrence?.from, 'due');
  });

  it('starts an hourly series at the next full hour', () => {
    assert.equal(create(parseCreate('stretch every 2 hours', z)).due, '2026-11-23T11:00:00.000Z');
  });

  it('refuses a series whose date never comes, a task without words, and a reminder before no due', () => {
    assert.deepEqual(pickReason(parseCreate('party every february 30th', z)), 'not_understood');
    assert.deepEqual(pickReason(parseCreate('tomorrow at 5pm #x p1', z)), 'missing_title');
    assert.deepEqual(pickReason(parseCreate('call mom 1 hour before', z)), 'missing_when');
  });
});

function pickReason(r: ParsedIntent): string | undefined {
  return r.intent === 'unknown' ? r.reason : undefined;
}
