/**
 * The subscribers' part of an erasure on the real PostgreSQL, through the consumers' own writes
 * (the audit batch insert, the notification insert): a user.erased event deletes the user's older
 * rows once, and no event of the user older than it is recorded again, in the same batch or later.
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createPool } from '../../common/db/pool';
import { buildEvent, USER_EVENT_TASK_ID, type EventEnvelope } from '../../common/events/envelope';
import { uniqueUser } from '../../stack/testSupport';
import { insertAuditBatch, type AuditRecord } from '../audit/auditStore';
import { insertDueNotifications } from '../notifications/notificationStore';
import type { ReminderDueData } from '../notifications/reminderEvents';
import { erasureRecord } from './userErasure';

describe("the subscribers' erasure of a user (PostgreSQL)", function () {
  this.timeout(30_000);
  let pool: Pool;
  const t0 = Date.parse('2026-11-23T10:00:00Z');
  const at = (s: number) => new Date(t0 + s * 1000);
  let offset = 0;
  const rec = (event: EventEnvelope<unknown>): AuditRecord => ({ event, topic: event.type.startsWith('reminder.') ? 'reminders' : 'task-events', partition: 0, offset: String(++offset), seq: null });
  const due = (userId: string, time: Date) => buildEvent('reminder.due', userId, 'task-1', { reminderId: 'r', occurrence: 1, fireAt: time.toISOString(), firedAt: time.toISOString(), email: `${userId}@example.com`, timezone: 'UTC' }, time) as EventEnvelope<ReminderDueData>;
  const erasedEvent = (userId: string, time: Date) => buildEvent('user.erased', userId, USER_EVENT_TASK_ID, { tasks: 1, reminders: 0, idempotencyKeys: 0, outboxRows: 1 }, time);
  const auditTypes = async (userId: string) => (await pool.query("SELECT type FROM audit_log WHERE user_id = $1 ORDER BY event_time", [userId])).rows.map((r) => r.type);
  const notifications = async (userId: string) => Number((await pool.query('SELECT count(*) AS n FROM notifications WHERE user_id = $1', [userId])).rows[0].n);

  before(() => {
    pool = createPool('user-erasure-test');
  });
  after(() => pool.end());

  it("a user.erased event deletes the user's older audit rows and notifications, keeps itself, and records the counts once", async () => {
    const u = uniqueUser('erasure');
    const other = uniqueUser('erasure-other');
    const reminder = due(u, at(2));
    await insertAuditBatch(pool, [rec(buildEvent('task.created', u, 'task-1', {}, at(1))), rec(reminder), rec(buildEvent('task.created', other, 'task-9', {}, at(1)))]);
    await insertDueNotifications(pool, [{ event: reminder, partition: 0, offset: '1', replayed: false }]);
    assert.equal(await notifications(u), 1);

    const erased = erasedEvent(u, at(10));
    await insertAuditBatch(pool, [rec(erased)]);
    assert.deepEqual(await auditTypes(u), ['user.erased']);
    assert.equal(await notifications(u), 0);
    assert.deepEqual(await auditTypes(other), ['task.created'], "another user's rows are untouched");
    const record = await erasureRecord(pool, u, erased.eventId);
    assert.deepEqual(record && { auditRows: record.auditRows, notifications: record.notifications }, { auditRows: 2, notifications: 1 });

    await insertAuditBatch(pool, [rec(erased)]);
    assert.equal((await erasureRecord(pool, u, erased.eventId))?.auditRows, 2, 'a redelivered event erases nothing more and keeps its counts');
  });

  it('an event of the user older than the erasure is never recorded afterwards, in the same batch or a later one; a newer one is', async () => {
    const u = uniqueUser('erasure-late');
    const erased = erasedEvent(u, at(10));
    await insertAuditBatch(pool, [rec(buildEvent('task.created', u, 'task-1', {}, at(5))), rec(erased)]);
    await insertAuditBatch(pool, [rec(due(u, at(8))), rec(buildEvent('task.created', u, 'task-2', {}, at(11)))]);
    assert.deepEqual(await auditTypes(u), ['user.erased', 'task.created']);
    await insertDueNotifications(pool, [{ event: due(u, at(9)), partition: 0, offset: '2', replayed: false }]);
    assert.equal(await notifications(u), 0, 'a reminder that fired before the erasure is not emailed after it');
    await insertDueNotifications(pool, [{ event: due(u, at(12)), partition: 0, offset: '3', replayed: false }]);
    assert.equal(await notifications(u), 1, 'a reminder of the user after the erasure is');
  });
});
