/**
 * Settles the delivery loop's outcomes in batches (notificationStore.ts settleAll): while one
 * batch's transaction runs, the outcomes that arrive meanwhile wait and go together in the next.
 * One send alone is settled at once, as before; in a burst the transactions merge. In a storm of
 * 2,000 reminders, 100 sends in flight each settled in a transaction of their own (4 round trips)
 * and held the subscriber's pool of 10 connections 30 clients deep, so the consumer's inserts of
 * newly fired reminders and the loop's next claims queued behind them.
 *
 * A batch that fails is settled again row by row, so one outcome that cannot be stored (an event
 * that does not validate) never fails the others; that one's caller gets the error, and the row
 * stays claimed until the sweep settles it (notificationWorker.ts).
 */
import type { Pool } from 'pg';
import { settleAll, type Settlement } from './notificationStore';

/** Outcomes per transaction, at most. */
export const MAX_SETTLEMENTS_PER_BATCH = 200;

interface Waiting {
  settlement: Settlement;
  resolve: (settled: boolean) => void;
  reject: (err: unknown) => void;
}

export class Settlements {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly pool: Pool, private readonly maxBatch = MAX_SETTLEMENTS_PER_BATCH) {}

  /** Resolves once the outcome is stored: true, or false when the claim was lost (the sweep took the row). */
  settle(settlement: Settlement): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ settlement, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length) await this.settleBatch(this.waiting.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
    }
  }

  /** Never throws: every caller's promise is settled. */
  private async settleBatch(batch: Waiting[]): Promise<void> {
    try {
      const settled = await settleAll(this.pool, batch.map((w) => w.settlement));
      for (const w of batch) w.resolve(settled.has(w.settlement.n.eventId));
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      for (const w of batch) await this.settleBatch([w]);
    }
  }
}
