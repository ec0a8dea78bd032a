import assert from 'node:assert/strict';
import { newReminders, reminderKey } from './reminderKey';

describe('a reminder’s identity in the chat', () => {
  it('the same instant written two ways is one reminder', () => {
    assert.equal(reminderKey({ at: '2026-11-24T08:00:00Z' }), reminderKey({ at: '2026-11-24T08:00:00.000Z' }));
  });

  it('an offset and an instant are never the same reminder, nor two offsets', () => {
    assert.notEqual(reminderKey({ before: 'PT30M' }), reminderKey({ before: 'PT1H' }));
    assert.notEqual(reminderKey({ before: 'PT30M' }), reminderKey({ at: '2026-11-24T08:00:00Z' }));
  });

  it('only the reminders the task does not hold yet are new, with the ids they carry', () => {
    const have = [{ id: 'r1', before: 'PT30M' }, { id: 'r2', at: '2026-11-24T08:00:00.000Z' }];
    const wanted = [{ before: 'PT30M' }, { at: '2026-11-24T08:00:00Z' }, { before: 'PT1H' }];
    assert.deepEqual(newReminders(have, wanted), [{ before: 'PT1H' }]);
    assert.deepEqual(newReminders(wanted, have), []);
  });
});
