/**
 * Deletes outbox rows once they have been in Kafka for longer than the retention
 * (OUTBOX_RETENTION_MS). Published rows have no reader in the services: the device stream replays
 * from the audit store, consumers read Kafka. Without this the table grows by one row per event
 * for ever (the 30-minute soak measured it: loadtest/RESULTS.md).
 *
 * A pass walks the table in seq order from the oldest row, a batch per transaction, and deletes
 * the published rows older than the retention; it stops at the first row younger than that (seq
 * follows time, so the rest are younger too). Unpublished rows are never touched, however old:
 * they are the relay's. One actor host prunes at a time (a transaction-scoped advisory lock); the
 * others skip the pass.
 */
import type { Pool } from 'pg';
import { inTransactionIfLocked } from '../common/db/pool';
import type { Logger } from '../common/logger';
import { every, type Periodic } from '../common/periodic';

/** Rows read (and at most deleted) per transaction. */
export const PRUNE_BATCH_ROWS = 5000;

interface PruneRow {
  seq: string;
  /** Created before the cutoff. */
  old: boolean;
  /** Published before the cutoff: to delete. */
  expired: boolean;
}

export class OutboxPruner {
  private periodic: Periodic | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly retentionMs: number,
    private readonly batchRows = PRUNE_BATCH_ROWS,
  ) {}

  /** One pass; returns how many rows it deleted (0 when another host holds the lock). */
  async pruneOnce(): Promise<number> {
    let after = '0';
    let deleted = 0;
    for (;;) {
      const batch = await this.pruneBatch(after);
      if (!batch) return deleted;
      deleted += batch.deleted;
      if (batch.last === undefined) return deleted;
      after = batch.last;
    }
  }

  /** One transaction: the next batch after `after`; `last` is where the next batch starts, undefined when the pass is over. */
  private async pruneBatch(after: string): Promise<{ deleted: number; last: string | undefined } | undefined> {
    return inTransactionIfLocked(this.pool, 'outbox-prune', async (tx) => {
      const rows = (await tx.query<PruneRow>(
        `SELECT seq,
                created_at < now() - $2 * interval '1 millisecond' AS old,
                published_at IS NOT NULL AND published_at < now() - $2 * interval '1 millisecond' AS expired
           FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $3`,
        [after, this.retentionMs, this.batchRows],
      )).rows;
      const doomed = rows.filter((r) => r.expired).map((r) => r.seq);
      if (doomed.length) await tx.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [doomed]);
      const over = rows.length < this.batchRows || rows.some((r) => !r.old);
      return { deleted: doomed.length, last: over ? undefined : rows[rows.length - 1].seq };
    });
  }

  /** A pass every `intervalMs`; with a retention of 0 published rows are kept and nothing runs. */
  start(intervalMs: number): void {
    if (this.retentionMs === 0) {
      this.log.info('outbox pruning off (OUTBOX_RETENTION_MS=0): published rows are kept');
      return;
    }
    this.periodic = every(intervalMs, 'outbox prune pass', this.log, async () => {
      const deleted = await this.pruneOnce();
      if (deleted > 0) this.log.info('outbox rows past their retention deleted', { rows: deleted, retentionMs: this.retentionMs });
    });
  }

  stop(): void {
    this.periodic?.stop();
  }
}
