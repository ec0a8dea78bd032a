/**
 * Per-user quotas, checked in the actor's turn before a write that adds open tasks or pending
 * reminders (so two writes of one user cannot both pass the last free place). A user at a limit
 * gets 409 `quota_exceeded` naming it; completing or deleting tasks frees places. The counts come
 * from PostgreSQL in one round trip, only when what the host already knows of the user's use
 * (KnownQuotaUse) cannot tell that the write fits: most creates cost no query.
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
export function quotaRefusal(quotas: UserQuotas, use: QuotaUse, adds: QuotaUse): Fail | undefined {
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

/**
 * What the host last knew of each user's use, raised by every write it let through: a write that
 * fits under the known use needs no query. Completes and deletes are not subtracted, so the known
 * use only overestimates (then a fresh count decides), except for writes of the same user made on
 * another actor host while placement moved the actor, by which a user may pass a limit. Bounded:
 * the least recently checked users are forgotten first.
 */
export class KnownQuotaUse {
  private readonly use = new Map<string, QuotaUse>();

  constructor(private readonly maxUsers = 100_000) {}

  get(userId: string): QuotaUse | undefined {
    const u = this.use.get(userId);
    if (u) {
      this.use.delete(userId); // most recently used last
      this.use.set(userId, u);
    }
    return u;
  }

  set(userId: string, use: QuotaUse): void {
    this.use.delete(userId);
    this.use.set(userId, use);
    while (this.use.size > this.maxUsers) this.use.delete(this.use.keys().next().value as string);
  }

  forget(userId: string): void {
    this.use.delete(userId);
  }
}

const plus = (u: QuotaUse, adds: QuotaUse): QuotaUse => ({ openTasks: u.openTasks + Math.max(0, adds.openTasks), pendingReminders: u.pendingReminders + Math.max(0, adds.pendingReminders) });

/**
 * Checks the quotas for a write that adds these: no query when it adds nothing or fits under what
 * the host knows of the user; else a fresh count decides. A write let through is counted in.
 */
export async function checkQuotas(deps: { pool: Pool; quotas: UserQuotas; knownUse: KnownQuotaUse }, userId: string, adds: QuotaUse): Promise<Fail | undefined> {
  if (adds.openTasks <= 0 && adds.pendingReminders <= 0) return undefined;
  const known = deps.knownUse.get(userId);
  if (known && !quotaRefusal(deps.quotas, known, adds)) {
    deps.knownUse.set(userId, plus(known, adds));
    return undefined;
  }
  const fresh = await quotaUse(deps.pool, userId);
  const refused = quotaRefusal(deps.quotas, fresh, adds);
  deps.knownUse.set(userId, refused ? fresh : plus(fresh, adds));
  return refused;
}
