/** What the UserActor's commands need from the actor host: made once in actors/main.ts and given to userActorClass. */
import type { Pool } from 'pg';
import type { Logger } from '../common/logger';
import type { KnownQuotaUse } from './quotas';
import type { UserAlarms } from './userAlarms';

export interface ActorDeps {
  pool: Pool;
  /** Asks the outbox publisher to send this user's committed events soon. */
  kickOutbox: (userId: string) => void;
  /** Asks for this user's alarm to be registered for its reminder_schedule rows soon (actors/reminderSync.ts). */
  syncReminders: (userId: string) => void;
  /** What this host registered as each user's alarm (actors/userAlarms.ts): a reminder it covers needs no registration. */
  alarms: UserAlarms;
  now: () => Date;
  /** How long before its time Dapr triggers a reminder, held by the actor until the instant (REMINDER_LEAD_MS, actors/reminderLead.ts). */
  reminderLeadMs: number;
  log: Logger;
  /** Per-user limits (MAX_OPEN_TASKS_PER_USER, MAX_PENDING_REMINDERS_PER_USER): a write past one is refused with 409 quota_exceeded. */
  quotas: UserQuotas;
  /** What this host knows of each user's quota use (actors/quotas.ts): most writes need no count. */
  knownUse: KnownQuotaUse;
}

export interface UserQuotas {
  openTasks: number;
  pendingReminders: number;
}
