/**
 * The audit store's replay query against the real PostgreSQL: a user's events after a position, in
 * the user's order, bounded, cut where the live stream takes over. Rows are written with the audit
 * consumer's own insert, for a user no one else has.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../common/db/pool';
import { buildEvent } from '../../common/events/envelope';
import { uniqueUser } from '../../stack/testSupport';
import { insertAuditBatch, replayAudit, type AuditRecord } from './auditStore';

describe('audit replay query (PostgreSQL)', function () {
  this.timeout(30_000);
  let pool: Pool;
  const user = uniqueUser('replay-store');
  const other = uniqueUser('replay-store-other');
  // Positions far above the stack's own outbox seqs, so they are this test's alone.
  const base = 9_000_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
  const records: AuditRecord[] = [];

  before(async () => {
    pool = createPool('audit-replay-test');
    const t0 = Date.parse('2026-11-23T10:00:00Z');
    // Ten events of the user, inserted out of order, with times not in position order at the end;
    // every other one on the reminders topic; and one of another user in between.
    for (let i = 0; i < 10; i++) {
      const time = new Date(t0 + (i < 8 ? i : 20 - i) * 1000);
      records.push({
        event: buildEvent(i % 2 ? 'reminder.due' : 'task.created', user, `task-${i}`, {}, time),
        topic: i % 2 ? 'reminders' : 'task-events', partition: 3, offset: String(100 + i), seq: String(base + i * 10),
      });
    }
    records.push({ event: buildEvent('task.created', other, 'x', {}, new Date(t0)), topic: 'task-events', partition: 3, offset: '99', seq: String(base + 5) });
    await insertAuditBatch(pool, [...records].reverse());
  });
  after(() => pool.end());

  const ids = (r: Awaited<ReturnType<typeof replayAudit>>) => (r.status === 'ok' ? r.items.map((i) => i.event.taskId) : r.status);

  it('gives the events after the named one, oldest first by position, with the anchor\'s position', async () => {
    const r = await replayAudit(pool, { userId: user, afterEventId: records[3].event.eventId, limit: 100 });
    assert.deepEqual(ids(r), ['task-4', 'task-5', 'task-6', 'task-7', 'task-8', 'task-9']);
    assert.equal(r.status === 'ok' && r.anchorSeq, String(base + 30));
  });

  it('gives every event at or after an instant, in position order', async () => {
    const r = await replayAudit(pool, { userId: user, since: '2026-11-23T10:00:07Z', limit: 100 });
    assert.deepEqual(ids(r), ['task-7', 'task-8', 'task-9'], 'times 7 s, 12 s and 11 s');
  });

  it('answers unknown_event for an eventId that is unknown, or another user\'s', async () => {
    assert.equal(ids(await replayAudit(pool, { userId: user, afterEventId: randomUUID(), limit: 100 })), 'unknown_event');
    assert.equal(ids(await replayAudit(pool, { userId: user, afterEventId: records[10].event.eventId, limit: 100 })), 'unknown_event');
  });

  it('answers too_many beyond the limit, and exactly the limit is fine', async () => {
    assert.deepEqual(await replayAudit(pool, { userId: user, afterEventId: records[3].event.eventId, limit: 5 }), { status: 'too_many', limit: 5 });
    assert.equal(ids(await replayAudit(pool, { userId: user, afterEventId: records[3].event.eventId, limit: 6 })).length, 6);
  });

  it('stops at upToSeq and leaves out what lies at or above a cut (published after the replay began)', async () => {
    const after = records[0].event.eventId;
    assert.deepEqual(ids(await replayAudit(pool, { userId: user, afterEventId: after, limit: 100, upToSeq: String(base + 40) })), ['task-1', 'task-2', 'task-3', 'task-4']);
    const cut = [{ topic: 'task-events', partition: 3, high: '106' }, { topic: 'reminders', partition: 3, high: '109' }];
    assert.deepEqual(ids(await replayAudit(pool, { userId: user, afterEventId: after, limit: 100, cut })), ['task-1', 'task-2', 'task-3', 'task-4', 'task-5', 'task-7']);
  });
});
