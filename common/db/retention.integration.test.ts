/**
 * The retention pruner against the real PostgreSQL. Each test gets a schema of its own holding
 * copies of the tables (same columns, defaults and indexes), so other tests' rows cannot feed or
 * stop a pass, and the pruner's unqualified table names are those copies.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { config } from '../config';
import { createLogger } from '../logger';
import { createPool } from './pool';
import { RetentionPruner } from './retention';
import { subscriberRetention } from '../../subscribers/retention';

const DAY_MS = 86_400_000;
const log = createLogger('retention-test');

describe('retention of audit_log, idempotency_keys and notifications (real PostgreSQL)', function () {
  this.timeout(60_000);
  let admin: Pool;
  let pool: Pool;
  let schema: string;

  beforeEach(async () => {
    admin = createPool('retention-test');
    schema = `retention_test_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    for (const t of ['audit_log', 'idempotency_keys', 'notifications']) await admin.query(`CREATE TABLE ${schema}.${t} (LIKE public.${t} INCLUDING ALL)`);
    pool = new Pool({
      host: config.pgHost, port: config.pgPort, user: config.pgUser, password: config.pgPassword, database: config.pgDatabase,
      max: 4, options: `-c search_path=${schema}`,
    });
  });

  afterEach(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  const count = async (sql: string) => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0].n;

  it('deletes rows older than each table\'s retention, in batches, and keeps younger ones and unsettled notifications', async () => {
    // 23 audit rows 40 days old, 4 a day old.
    await pool.query(`INSERT INTO audit_log (event_id, user_id, task_id, type, schema_version, event_time, event, topic, kafka_partition, kafka_offset, recorded_at)
      SELECT gen_random_uuid(), 'u', 't', 'task.created', '1.0', now(), '{}', 'task-events', 0, g, now() - CASE WHEN g <= 23 THEN interval '40 days' ELSE interval '1 day' END
        FROM generate_series(1, 27) g`);
    await pool.query(`INSERT INTO idempotency_keys (user_id, key, task_id, created_at)
      SELECT 'u', 'k' || g, 't' || g, now() - CASE WHEN g <= 5 THEN interval '8 days' ELSE interval '1 hour' END FROM generate_series(1, 7) g`);
    // Old notifications: sent, failed, and a pending and a sending one (the worker's: never deleted); a young sent one.
    for (const [status, age] of [['sent', '40 days'], ['failed', '40 days'], ['pending', '40 days'], ['sending', '40 days'], ['sent', '1 day']]) {
      await pool.query(`INSERT INTO notifications (event_id, user_id, task_id, reminder_id, status, attempts, next_attempt_at, event, updated_at)
        VALUES (gen_random_uuid(), 'u', 't', 'r', $1, 0, now(), '{}', now() - $2::interval)`, [status, age]);
    }
    const policies = [
      ...subscriberRetention({ auditRetentionMs: 30 * DAY_MS, notificationRetentionMs: 30 * DAY_MS, deadLetterIndexRetentionMs: 0, kafkaRetentionMs: 7 * DAY_MS }),
      { table: 'idempotency_keys' as const, timeColumn: 'created_at', retentionMs: 7 * DAY_MS },
    ].filter((p) => p.table !== 'admin_actions');
    const pruner = new RetentionPruner(pool, policies, log, 5);
    const deleted = await pruner.pruneOnce();
    assert.deepEqual(deleted, { audit_log: 23, notifications: 2, idempotency_keys: 5 });
    assert.equal(await count('audit_log'), 4);
    assert.equal(await count('idempotency_keys'), 2);
    assert.deepEqual((await pool.query('SELECT status FROM notifications ORDER BY status')).rows.map((r) => r.status), ['pending', 'sending', 'sent']);
    assert.deepEqual(await pruner.pruneOnce(), { audit_log: 0, notifications: 0, idempotency_keys: 0 }, 'a second pass finds nothing');
  });

  it('skips a table another process is pruning, and keeps every row of a table with retention 0', async () => {
    await pool.query(`INSERT INTO idempotency_keys (user_id, key, task_id, created_at) VALUES ('u', 'old', 't', now() - interval '30 days')`);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtext('retention-idempotency_keys'))");
      const busy = await new RetentionPruner(pool, [{ table: 'idempotency_keys', timeColumn: 'created_at', retentionMs: DAY_MS }], log).pruneOnce();
      assert.deepEqual(busy, { idempotency_keys: undefined });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    assert.deepEqual(await new RetentionPruner(pool, [{ table: 'idempotency_keys', timeColumn: 'created_at', retentionMs: 0 }], log).pruneOnce(), {});
    assert.equal(await count('idempotency_keys'), 1);
  });

  it('refuses a notification retention shorter than the reminders topic\'s, which could email a reminder twice', () => {
    assert.throws(() => subscriberRetention({ auditRetentionMs: 0, notificationRetentionMs: DAY_MS, deadLetterIndexRetentionMs: 0, kafkaRetentionMs: 7 * DAY_MS }), /must exceed KAFKA_RETENTION_MS/);
  });
});
