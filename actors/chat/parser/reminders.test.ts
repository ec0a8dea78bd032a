import assert from 'node:assert/strict';
import { HOLE } from './normalize';
import { extractReminderOffsets } from './reminders';

const offsets = (text: string) => extractReminderOffsets(text).reminders.map((r) => r.before);

describe('reminder offsets', () => {
  it('turns "N units before" into ISO 8601 durations', () => {
    assert.deepEqual(offsets('30 minutes before'), ['PT30M']);
    assert.deepEqual(offsets('a day before'), ['P1D']);
    assert.deepEqual(offsets('1 hour before'), ['PT1H']);
    assert.deepEqual(offsets('2 days before'), ['P2D']);
    assert.deepEqual(offsets('an hour before'), ['PT1H']);
    assert.deepEqual(offsets('half an hour before'), ['PT30M']);
    assert.deepEqual(offsets('an hour and a half before'), ['PT1H30M']);
    assert.deepEqual(offsets('the day before'), ['P1D']);
    assert.deepEqual(offsets('a week in advance'), ['P1W']);
    assert.deepEqual(offsets('15m before'), ['PT15M']);
    assert.deepEqual(offsets('fifteen minutes before it is due'), ['PT15M']);
  });

  it('reads several offsets, with their lead words, once each', () => {
    assert.deepEqual(offsets('dentist with reminders 30 minutes before and 1 day before'), ['PT30M', 'P1D']);
    assert.deepEqual(offsets('remind me 2 days and 1 hour before'), ['P2D', 'PT1H']);
    assert.deepEqual(offsets('1 hour before, 1 hour before'), ['PT1H']);
  });

  it('takes the phrase out of the text, lead words included', () => {
    const { work } = extractReminderOffsets('pay rent remind me 1 day before');
    assert.equal(work.split(HOLE).join('').trim(), 'pay rent');
  });

  it('leaves durations that are not offsets before something', () => {
    for (const text of ['run for 30 minutes', 'before lunch', '0 minutes before', 'in 2 hours', 'meeting 1000 days before']) assert.deepEqual(offsets(text), [], text);
  });
});
