/** What the UserActor's commands need from the actor host: made once in actors/main.ts and given to userActorClass. */
import type { Pool } from 'pg';
import type { Logger } from '../common/logger';

export interface ActorDeps {
  pool: Pool;
  /** Asks the outbox publisher to send this user's committed events soon. */
  kickOutbox: (userId: string) => void;
  /** Asks for this user's reminder_schedule rows to be mirrored in Dapr soon. */
  syncReminders: (userId: string) => void;
  now: () => Date;
  log: Logger;
}
