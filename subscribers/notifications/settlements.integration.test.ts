/**
 * Settling the delivery loop's outcomes in batches, on the real PostgreSQL (the stack's database;
 * the rows are this test's own users', claimed as the loop claims them, so the running subscriber
 * never touches them).
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { newTask } from '../../actors/taskRules';
import { createPool } from '../../common/db/pool';
import { buildEvent, type EventEnvelope } from '../../common/events/envelope';
import { uniqueUser } from '../../stack/testSupport';
import { settleAll, type ClaimedNotification } from './notificationStore';
import type { ReminderDueData } from './reminderEvents';
import { Settlements } from './settlements';

const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('settling reminder emails in batches (real PostgreSQL)', function () {
  this.timeout(30_000);
  let pool: Pool;
  const users: string[] = [];

  before(() => {
    pool = createPool('settlements-integration-test');
  });
  after(async () => {
    // Rows left claimed on purpose: gone, so the running subscriber's sweep never settles them.
    await pool?.query("DELETE FROM notifications WHERE user_id = ANY($1) AND status = 'sending'", [users]);
    await pool?.end();
  });

  /** A notification row as the delivery loop holds it after its claim ('sending', stamped). */
  async function claimed(userId: string): Promise<ClaimedNotification> {
    const now = new Date();
    const task = newTask({ title: 'Send the report', reminders: [{ at: now.toISOString() }] }, 'UTC', now);
    const event: EventEnvelope<ReminderDueData> = buildEvent('reminder.due', userId, task.id, {
      reminderId: task.reminders[0].id, occurrence: 1, fireAt: now.toISOString(), firedAt: now.toISOString(), task, email: 'someone@example.com', timezone: 'UTC',
    }, now);
    const row = (await pool.query<{ updated_at: Date }>(
      `INSERT INTO notifications (event_id, user_id, task_id, reminder_id, recipient, status, attempts, event, updated_at)
       VALUES ($1, $2, $3, $4, 'someone@example.com', 'sending', 0, $5, date_trunc('milliseconds', now())) RETURNING updated_at`,
      [event.eventId, userId, task.id, task.reminders[0].id, JSON.stringify(event)],
    )).rows[0];
    return {
      eventId: event.eventId, userId, taskId: task.id, reminderId: task.reminders[0].id, recipient: 'someone@example.com', attempts: 0, event,
      claimedAt: row.updated_at, sourcePartition: null, sourceOffset: null, replayed: false,
    };
  }
  const status = async (n: ClaimedNotification) => (await pool.query<{ status: string }>('SELECT status FROM notifications WHERE event_id = $1', [n.eventId])).rows[0].status;
  const outboxOf = async (userId: string) => (await pool.query<{ type: string; due: string; traceparent: string | null }>(
    "SELECT payload->>'type' AS type, payload->'data'->>'dueEventId' AS due, traceparent FROM outbox WHERE user_id = $1 ORDER BY seq", [userId])).rows;

  it('stores many outcomes in one transaction, each final one with its event and its own trace, and skips a claim the sweep took', async () => {
    const userId = uniqueUser('settle-all');
    users.push(userId);
    const [sent, failed, retry, lost] = [await claimed(userId), await claimed(userId), await claimed(userId), await claimed(userId)];
    const now = new Date();
    const settled = await settleAll(pool, [
      { n: sent, outcome: { status: 'sent', attempts: 1, sentAt: now }, traceparent: TRACE },
      { n: failed, outcome: { status: 'failed', attempts: 1, reason: 'refused by the SMTP server: 550', failedAt: now, kind: 'rejected', deadLetter: true }, traceparent: null },
      { n: retry, outcome: { status: 'pending', attempts: 1, nextAttemptAt: new Date(now.getTime() + 3600_000), error: '451 try later' }, traceparent: null },
      // The sweep re-stamped this one: its claim is no longer the holder's.
      { n: { ...lost, claimedAt: new Date(lost.claimedAt.getTime() - 1) }, outcome: { status: 'sent', attempts: 1, sentAt: now }, traceparent: null },
    ]);
    assert.deepEqual([...settled].sort(), [sent.eventId, failed.eventId, retry.eventId].sort());
    assert.deepEqual([await status(sent), await status(failed), await status(retry), await status(lost)], ['sent', 'failed', 'pending', 'sending']);
    assert.deepEqual(await outboxOf(userId), [
      { type: 'reminder.sent', due: sent.eventId, traceparent: TRACE },
      { type: 'reminder.failed', due: failed.eventId, traceparent: null },
    ], 'one event per final outcome, in the order given, none for the retry or the lost claim');
  });

  it('settles outcomes that arrive together, and one that cannot be stored fails alone without failing the others', async () => {
    const userId = uniqueUser('settlements');
    users.push(userId);
    const rows = await Promise.all(Array.from({ length: 6 }, () => claimed(userId)));
    const settlements = new Settlements(pool);
    const results = await Promise.allSettled(rows.map((n, i) => settlements.settle({
      // An invalid date cannot become an event: that outcome's batch fails, and is settled again row by row.
      n, outcome: { status: 'sent', attempts: 1, sentAt: i === 3 ? new Date(Number.NaN) : new Date() }, traceparent: null,
    })));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual(results.filter((r) => r.status === 'fulfilled').map((r) => r.value), [true, true, true, true, true]);
    assert.deepEqual(await Promise.all(rows.map(status)), ['sent', 'sent', 'sent', 'sending', 'sent', 'sent'], 'the failed one stays claimed, for the sweep');
    assert.deepEqual((await outboxOf(userId)).map((r) => r.due).sort(), rows.filter((_, i) => i !== 3).map((n) => n.eventId).sort());
  });
});
