import assert from 'node:assert/strict';
import { quotaRefusal } from './quotas';

describe('per-user quotas (the rule)', () => {
  const quotas = { openTasks: 3, pendingReminders: 2 };

  it('a write that stays within both limits passes, up to and including the last place', () => {
    assert.equal(quotaRefusal(quotas, { openTasks: 2, pendingReminders: 1 }, { openTasks: 1, pendingReminders: 1 }), undefined);
  });

  it('the open task past the limit is refused with 409 quota_exceeded naming openTasks and the limit', () => {
    const r = quotaRefusal(quotas, { openTasks: 3, pendingReminders: 0 }, { openTasks: 1, pendingReminders: 0 });
    assert.equal(r?.error.status, 409);
    assert.equal(r?.error.code, 'quota_exceeded');
    assert.deepEqual(r?.error.details, [{ field: 'openTasks', message: 'at most 3 per user' }]);
  });

  it('reminders that would pass the limit are refused naming reminders, even when the task itself fits', () => {
    const r = quotaRefusal(quotas, { openTasks: 0, pendingReminders: 1 }, { openTasks: 1, pendingReminders: 2 });
    assert.equal(r?.error.code, 'quota_exceeded');
    assert.equal(r?.error.details?.[0].field, 'reminders');
  });

  it('a write that adds nothing is never refused, even by a user already over a limit (after the limit was lowered)', () => {
    assert.equal(quotaRefusal(quotas, { openTasks: 10, pendingReminders: 10 }, { openTasks: 0, pendingReminders: -1 }), undefined);
  });
});
