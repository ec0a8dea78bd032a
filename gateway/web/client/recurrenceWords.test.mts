import assert from 'node:assert/strict';
import { ordinal, recurrenceInWords } from './recurrenceWords.mjs';

describe('a recurrence rule in words (web page)', () => {
  const cases: Array<[string, string]> = [
    ['FREQ=WEEKLY;BYDAY=MO', 'every Monday'],
    ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'every Monday and Wednesday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH,SA', 'every 2 weeks on Tuesday, Thursday and Saturday'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'every weekday'],
    ['FREQ=DAILY', 'every day'],
    ['FREQ=DAILY;INTERVAL=3;COUNT=10', 'every 3 days, 10 times'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'every month on the 1st'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'every month on the last day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1', 'every month on the first Monday'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15', 'every year on 15 March'],
    ['FREQ=YEARLY', 'every year'],
    ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=30', 'every Monday at 09:30'],
    ['FREQ=DAILY;UNTIL=20261231T235959Z', 'every day, until 31 December 2026'],
    ['FREQ=HOURLY;INTERVAL=4', 'every 4 hours'],
  ];
  for (const [rule, words] of cases) {
    it(`says ${rule} as "${words}"`, () => assert.equal(recurrenceInWords(rule), words));
  }

  it('says when a rule counts from completion', () => {
    assert.equal(recurrenceInWords('FREQ=DAILY;INTERVAL=2', true), 'every 2 days, after each completion');
  });

  it('shows the rule itself beside the words when it has parts it does not put into words', () => {
    assert.equal(recurrenceInWords('FREQ=MONTHLY;BYWEEKNO=3'), 'every month (FREQ=MONTHLY;BYWEEKNO=3)');
    assert.equal(recurrenceInWords('NOT A RULE'), 'repeats (NOT A RULE)');
  });

  it('writes ordinals as English does', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
  });
});
