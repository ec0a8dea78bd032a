import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { checkQuotas, KnownQuotaUse, quotaRefusal } from './quotas';

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

describe('per-user quotas (what the host knows of a use)', () => {
  /** A pool that answers the count query with the given use, and counts how often it was asked. */
  function countingPool(use: { open: number; pending: number }) {
    const asked = { n: 0 };
    const pool = { query: async () => { asked.n++; return { rows: [{ open_tasks: String(use.open), pending_reminders: String(use.pending) }] }; } } as unknown as Pool;
    return { pool, asked };
  }

  it('writes that fit under the known use need no count; the first, and one that would not fit, are decided by a fresh count', async () => {
    const { pool, asked } = countingPool({ open: 0, pending: 0 });
    const deps = { pool, quotas: { openTasks: 3, pendingReminders: 10 }, knownUse: new KnownQuotaUse() };
    for (let i = 0; i < 3; i++) assert.equal(await checkQuotas(deps, 'u', { openTasks: 1, pendingReminders: 0 }), undefined);
    assert.equal(asked.n, 1, 'one count for three writes');
    // The store still says 0 open (say the three were deleted meanwhile): the fresh count lets the 4th in.
    assert.equal(await checkQuotas(deps, 'u', { openTasks: 1, pendingReminders: 0 }), undefined);
    assert.equal(asked.n, 2);
  });

  it('a write past the limit by the fresh count is refused, and refused again without being counted in', async () => {
    const { pool } = countingPool({ open: 3, pending: 0 });
    const deps = { pool, quotas: { openTasks: 3, pendingReminders: 10 }, knownUse: new KnownQuotaUse() };
    assert.equal((await checkQuotas(deps, 'u', { openTasks: 1, pendingReminders: 0 }))?.error.code, 'quota_exceeded');
    assert.deepEqual(deps.knownUse.get('u'), { openTasks: 3, pendingReminders: 0 });
  });

  it('forgets the least recently checked users first, beyond its bound', () => {
    const known = new KnownQuotaUse(2);
    known.set('a', { openTasks: 1, pendingReminders: 0 });
    known.set('b', { openTasks: 1, pendingReminders: 0 });
    known.get('a');
    known.set('c', { openTasks: 1, pendingReminders: 0 });
    assert.equal(known.get('b'), undefined);
    assert.ok(known.get('a') && known.get('c'));
  });
});
