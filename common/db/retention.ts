/**
 * Retention of the tables that grow by a row per event, request or dead letter (audit_log,
 * idempotency_keys, notifications, dead_letters, admin_actions): rows older than the table's
 * retention are deleted in batches, one short transaction per batch, so no pass holds locks on a
 * large table or builds a long transaction; a pass ends at the first batch that is not full. One
 * process prunes a table at a time (a transaction-scoped advisory lock per table); the others skip
 * it. The outbox has its own pruner (actors/outboxPruner.ts: it walks seq order, and never
 * touches unpublished rows); this one is its model applied to time-indexed tables.
 */
import type { Pool } from 'pg';
import { inTransactionIfLocked } from './pool';
import type { Logger } from '../logger';
import { every, type Periodic } from '../periodic';

export const RETENTION_BATCH_ROWS = 5000;

export interface RetentionPolicy {
  /** A table name from this file's list (never user input: it is written into the SQL). */
  table: 'audit_log' | 'idempotency_keys' | 'notifications' | 'dead_letters' | 'admin_actions';
  /** The row's age column, indexed. */
  timeColumn: string;
  /** Rows this policy may delete beyond age (notifications: only settled ones). */
  onlyWhere?: string;
  /** 0 keeps the rows for ever. */
  retentionMs: number;
}

export class RetentionPruner {
  private periodic: Periodic | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly policies: readonly RetentionPolicy[],
    private readonly log: Logger,
    private readonly batchRows = RETENTION_BATCH_ROWS,
  ) {}

  /** One pass over every table; returns rows deleted per table (undefined: another process held the table's lock). */
  async pruneOnce(): Promise<Record<string, number | undefined>> {
    const out: Record<string, number | undefined> = {};
    for (const p of this.policies) {
      if (p.retentionMs <= 0) continue;
      let deleted = 0;
      for (;;) {
        const n = await this.pruneBatch(p);
        if (n === undefined) {
          out[p.table] = deleted || undefined;
          break;
        }
        deleted += n;
        if (n < this.batchRows) {
          out[p.table] = deleted;
          break;
        }
      }
    }
    return out;
  }

  private async pruneBatch(p: RetentionPolicy): Promise<number | undefined> {
    return inTransactionIfLocked(this.pool, `retention-${p.table}`, async (tx) => {
      const res = await tx.query(
        `DELETE FROM ${p.table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${p.table} WHERE ${p.timeColumn} < now() - $1 * interval '1 millisecond' ${p.onlyWhere ? `AND ${p.onlyWhere}` : ''}
           LIMIT $2 FOR UPDATE SKIP LOCKED))`,
        [p.retentionMs, this.batchRows],
      );
      return res.rowCount ?? 0;
    });
  }

  /** A pass every `intervalMs`; tables with a retention of 0 are kept whole. */
  start(intervalMs: number): void {
    for (const p of this.policies) if (p.retentionMs <= 0) this.log.info('retention off: rows are kept', { table: p.table });
    if (!this.policies.some((p) => p.retentionMs > 0)) return;
    this.periodic = every(intervalMs, 'retention pass', this.log, async () => {
      const deleted = await this.pruneOnce();
      for (const [table, rows] of Object.entries(deleted)) {
        if (rows) this.log.info('rows past their retention deleted', { table, rows, retentionMs: this.policies.find((p) => p.table === table)?.retentionMs });
      }
    });
  }

  stop(): void {
    this.periodic?.stop();
  }
}
