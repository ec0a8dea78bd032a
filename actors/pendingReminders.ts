/** Counts the reminders still to fire (reminder_schedule rows in state active) into the reminders_pending gauge. */
import type { Pool } from 'pg';
import type { Logger } from '../common/logger';
import { remindersPending } from '../common/metrics';
import { every, type Periodic } from '../common/periodic';

/** A count scans the active rows: every 15 s is fresh enough for a dashboard and cheap for the database. */
const INTERVAL_MS = 15_000;

export async function countPendingReminders(pool: Pool): Promise<number> {
  const n = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM reminder_schedule WHERE state = 'active'")).rows[0].n);
  remindersPending.set(n);
  return n;
}

export function countPendingRemindersEvery15s(pool: Pool, log: Logger): Periodic {
  return every(INTERVAL_MS, 'pending reminders count', log, async () => {
    await countPendingReminders(pool);
  });
}
