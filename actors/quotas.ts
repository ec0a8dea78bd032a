/**
 * Per-user quotas, checked in the actor's turn before a write that adds open tasks or pending
 * reminders (so two writes of one user cannot both pass the last free place). A user at a limit
 * gets 409 `quota_exceeded` naming it; completing or deleting tasks frees places. The counts come
 * from PostgreSQL in one round trip, only for the writes that add something.
 */
import type { Pool } from 'pg';
import type { UserQuotas } from './actorDeps';
import type { Fail } from './commandErrors';

export interface QuotaUse {
  openTasks: number;
  pendingReminders: number;
}

export async function quotaUse(pool: Pool, userId: string): Promise<QuotaUse> {
  const r = await pool.query<{ open_tasks: string; pending_reminders: string }>(
    `SELECT (SELECT count(*) FROM tasks WHERE user_id = $1 AND status = 'open') AS open_tasks,
            (SELECT count(*) FROM reminder_schedule WHERE user_id = $1 AND state = 'active') AS pending_reminders`,
    [userId],
  );
  return { openTasks: Number(r.rows[0].open_tasks), pendingReminders: Number(r.rows[0].pending_reminders) };
}

/** The refusal of a write that would take the user past a quota, or undefined: pure, from the counts. */
export function quotaRefusal(quotas: UserQuotas, use: QuotaUse, adds: { openTasks: number; pendingReminders: number }): Fail | undefined {
  if (adds.openTasks > 0 && use.openTasks + adds.openTasks > quotas.openTasks) {
    return refusal(`you have ${use.openTasks} open tasks, the most one user may have is ${quotas.openTasks}: complete or delete some first`, 'openTasks', quotas.openTasks);
  }
  if (adds.pendingReminders > 0 && use.pendingReminders + adds.pendingReminders > quotas.pendingReminders) {
    return refusal(`you have ${use.pendingReminders} pending reminders, and this would add ${adds.pendingReminders}; the most one user may have is ${quotas.pendingReminders}`, 'reminders', quotas.pendingReminders);
  }
  return undefined;
}

function refusal(message: string, field: string, limit: number): Fail {
  return { ok: false, error: { status: 409, code: 'quota_exceeded', message, details: [{ field, message: `at most ${limit} per user` }] } };
}

/** Checks the quotas for a write that adds these; no query when it adds nothing. */
export async function checkQuotas(deps: { pool: Pool; quotas: UserQuotas }, userId: string, adds: { openTasks: number; pendingReminders: number }): Promise<Fail | undefined> {
  if (adds.openTasks <= 0 && adds.pendingReminders <= 0) return undefined;
  return quotaRefusal(deps.quotas, await quotaUse(deps.pool, userId), adds);
}
