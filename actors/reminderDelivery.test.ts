import assert from 'node:assert/strict';
import { newTask } from './taskRules';
import { mergeLastDelivery, shortReason } from './reminderDelivery';
import { validateEvent, validateTaskCreate } from '../common/validation';
import { buildEvent } from '../common/events/envelope';

describe('reminders[].lastDelivery on a task', () => {
  const base = newTask({ title: 'pay rent', reminders: [{ id: 'a', before: 'PT5M' }, { id: 'b', before: 'PT1H' }], due: '2026-12-01T09:00:00Z' }, 'UTC', new Date('2026-11-23T10:00:00Z'));
  const other = { ...base, id: 'other-task' };

  it('shows each reminder\'s latest outcome, sent without a reason, failed with a short one, and leaves the others alone', () => {
    const [t, o] = mergeLastDelivery([base, other], [
      { task_id: base.id, reminder_id: 'a', status: 'failed', at: new Date('2026-12-01T08:55:03Z'), reason: 'refused by the SMTP server: 550: 5.1.1\n Mailbox unavailable' },
      { task_id: 'elsewhere', reminder_id: 'b', status: 'sent', at: new Date('2026-12-01T08:00:00Z'), reason: null },
    ]);
    assert.deepEqual(t.reminders[0].lastDelivery, { status: 'failed', at: '2026-12-01T08:55:03.000Z', reason: 'refused by the SMTP server: 550: 5.1.1 Mailbox unavailable' });
    assert.equal(t.reminders[1].lastDelivery, undefined, 'a reminder with no settled email has none');
    assert.equal(o, other, 'a task without outcomes is returned as it was');
    const [sent] = mergeLastDelivery([base], [{ task_id: base.id, reminder_id: 'b', status: 'sent', at: new Date('2026-12-01T08:00:00Z'), reason: 'old error' }]);
    assert.deepEqual(sent.reminders[1].lastDelivery, { status: 'sent', at: '2026-12-01T08:00:00.000Z' });
  });

  it('keeps reasons to one line of at most 200 characters', () => {
    assert.equal(shortReason('x'.repeat(1000)).length, 200);
    assert.equal(shortReason('a\r\n  b'), 'a b');
  });

  it('is part of the task schema, so a task read with it is still a valid task (and a client cannot send one)', () => {
    const [t] = mergeLastDelivery([base], [{ task_id: base.id, reminder_id: 'a', status: 'failed', at: new Date(), reason: 'r'.repeat(300) }]);
    assert.ok(validateEvent(buildEvent('task.created', 'alice', t.id, { task: t }, new Date())).ok);
    assert.equal(validateTaskCreate({ title: 'x', reminders: [{ id: 'a', before: 'PT5M', lastDelivery: { status: 'sent', at: new Date().toISOString() } }] }).ok, false);
  });
});
