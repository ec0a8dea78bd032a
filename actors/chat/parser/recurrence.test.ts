import assert from 'node:assert/strict';
import { RRule } from 'rrule';
import { findRecurrence } from './recurrence';
import { ruleText } from './rrule';

const rule = (text: string): string | undefined => {
  const r = findRecurrence(text);
  return r && ruleText(r.parts);
};

const TABLE: Array<[string, string]> = [
  ['every day', 'FREQ=DAILY'],
  ['daily', 'FREQ=DAILY'],
  ['every week', 'FREQ=WEEKLY'],
  ['every month', 'FREQ=MONTHLY'],
  ['every year', 'FREQ=YEARLY'],
  ['annually', 'FREQ=YEARLY'],
  ['every 3 days', 'FREQ=DAILY;INTERVAL=3'],
  ['every two weeks', 'FREQ=WEEKLY;INTERVAL=2'],
  ['every other week', 'FREQ=WEEKLY;INTERVAL=2'],
  ['every 2nd month', 'FREQ=MONTHLY;INTERVAL=2'],
  ['fortnightly', 'FREQ=WEEKLY;INTERVAL=2'],
  ['every quarter', 'FREQ=MONTHLY;INTERVAL=3'],
  ['every 4 hours', 'FREQ=HOURLY;INTERVAL=4'],
  ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
  ['every business day', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
  ['every weekend', 'FREQ=WEEKLY;BYDAY=SA,SU'],
  ['every monday', 'FREQ=WEEKLY;BYDAY=MO'],
  ['every monday and wednesday', 'FREQ=WEEKLY;BYDAY=MO,WE'],
  ['every mon, wed and fri', 'FREQ=WEEKLY;BYDAY=MO,WE,FR'],
  ['every other friday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR'],
  ['on mondays and thursdays', 'FREQ=WEEKLY;BYDAY=MO,TH'],
  ['every week on tuesday', 'FREQ=WEEKLY;BYDAY=TU'],
  ['every 2 weeks on friday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR'],
  ['weekly on sundays', 'FREQ=WEEKLY;BYDAY=SU'],
  ['on the 1st of every month', 'FREQ=MONTHLY;BYMONTHDAY=1'],
  ['the 15th of each month', 'FREQ=MONTHLY;BYMONTHDAY=15'],
  ['every month on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1'],
  ['monthly on the 1st and 15th', 'FREQ=MONTHLY;BYMONTHDAY=1,15'],
  ['every 15th', 'FREQ=MONTHLY;BYMONTHDAY=15'],
  ['on the last day of every month', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
  ['every month on the last day', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
  ['on the 1st of every other month', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1'],
  ['every first monday of the month', 'FREQ=MONTHLY;BYDAY=1MO'],
  ['every last friday', 'FREQ=MONTHLY;BYDAY=-1FR'],
  ['on the second tuesday of every month', 'FREQ=MONTHLY;BYDAY=2TU'],
  ['every year on june 12', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12'],
  ['every june 12th', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12'],
  ['every 12th of june', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12'],
  ['on june 12 every year', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12'],
  ['yearly on march 3', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3'],
];

describe('recurrence phrases', () => {
  for (const [phrase, expected] of TABLE) {
    it(`reads "${phrase}" as ${expected}`, () => {
      assert.equal(rule(`water plants ${phrase} at 9am`), expected);
    });
  }

  it('writes rules that the rrule package parses back to the same options', () => {
    for (const [, expected] of TABLE) {
      // rrule writes the first Monday as +1MO; RFC 5545 allows both.
      const back = RRule.optionsToString(RRule.parseString(expected)).replace(/\+/g, '');
      assert.equal(back, `RRULE:${expected}`, expected);
    }
  });

  it('marks "every!" as repeating from completion, and knows where the phrase is', () => {
    const text = 'every! 3 days water plants';
    const r = findRecurrence(text);
    assert.ok(r);
    assert.equal(r.completion, true);
    assert.equal(text.slice(r.start, r.end), 'every! 3 days');
    assert.equal(findRecurrence('every 3 days')?.completion, false);
  });

  it('does not read adjectives, counts or lone words as a recurrence', () => {
    for (const text of ['weekly report', 'prepare the monthly budget', 'every', 'each of them', 'on monday', 'the 1st draft', 'call every customer', 'every 3', 'daily standup notes'])
      assert.equal(findRecurrence(text), undefined, text);
  });
});
