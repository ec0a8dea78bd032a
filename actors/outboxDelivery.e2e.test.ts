/**
 * The outbox's promise on the real stack: an event is never lost once the write that caused it
 * was acknowledged, whatever dies, and Kafka being down never fails a write. Checked through the
 * audit log, which records every event exactly once (idempotent on eventId).
 */
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { createPool } from '../common/db/pool';
import { deadLetterTopic, TOPICS } from '../common/events/envelope';
import { isAlive, stopProcess } from '../stack/processes';
import { up } from '../stack/stack';
import { readState } from '../stack/stackState';
import { api, eventually, tokenFor, uniqueUser } from '../stack/testSupport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event delivery through the outbox', function () {
  this.timeout(180_000);
  let pool: Pool;
  before(() => {
    pool = createPool('outbox-delivery-test');
  });
  after(() => pool.end());

  const audited = async (userId: string) => (await pool.query<{ event_id: string; task_id: string; type: string }>(
    'SELECT event_id, task_id, type FROM audit_log WHERE user_id = $1', [userId],
  )).rows;

  /**
   * Waits until every acknowledged task has exactly one task.created in the audit log. With
   * `allowUnacknowledged`, a write that committed but whose answer was lost in a crash may have its
   * event too (it happened); it must still be a committed task, audited once.
   */
  async function expectAuditedOnce(userId: string, taskIds: string[], timeoutMs: number, allowUnacknowledged = false): Promise<void> {
    const want = new Set(taskIds);
    const rows = await eventually(async () => {
      const r = (await audited(userId)).filter((x) => x.type === 'task.created');
      return r.length >= want.size && [...want].every((id) => r.some((x) => x.task_id === id)) ? r : undefined;
    }, timeoutMs, `${want.size} task.created audit entries`);
    const perTask = new Map<string, number>();
    for (const r of rows) perTask.set(r.task_id, (perTask.get(r.task_id) ?? 0) + 1);
    for (const id of want) assert.equal(perTask.get(id), 1, `task ${id} audited once`);
    if (!allowUnacknowledged) {
      assert.equal(rows.length, want.size, 'no audit entry for a write that was not acknowledged');
      return;
    }
    for (const [id, n] of perTask) assert.equal(n, 1, `task ${id} audited once`);
    const extra = [...perTask.keys()].filter((id) => !want.has(id));
    const committed = await pool.query('SELECT id FROM tasks WHERE user_id = $1 AND id = ANY($2::text[])', [userId, extra]);
    assert.equal(committed.rowCount, extra.length, 'every audited but unacknowledged write did commit');
    assert.ok(extra.length <= 8, `at most one in-flight write per writer was cut off (${extra.length})`);
  }

  it('100 parallel writes give exactly 100 task.created audit entries for that user, none for anyone else', async () => {
    const user = uniqueUser('burst');
    const bystander = uniqueUser('bystander');
    const token = await tokenFor(user);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => api('POST', '/v1/tasks', { token, body: { title: `parallel ${i}` } })));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
    await expectAuditedOnce(user, results.map((r) => r.body.id), 30_000);
    assert.deepEqual(await audited(bystander), []);
  });

  it('Kafka stopped and restarted during writes: no write fails, no event is lost', async () => {
    const user = uniqueUser('kafka-down');
    const token = await tokenFor(user);
    const kafka = readState()?.processes.find((p) => p.name === 'kafka');
    assert.ok(kafka && isAlive(kafka));
    const ids: string[] = [];
    const write = async (i: number) => {
      const r = await api('POST', '/v1/tasks', { token, body: { title: `while kafka is away ${i}` } });
      assert.equal(r.status, 201, `write ${i} failed: ${JSON.stringify(r.body)}`);
      ids.push(r.body.id);
    };
    for (let i = 0; i < 10; i++) await write(i);
    await stopProcess(kafka, 'SIGTERM', 30_000);
    for (let i = 10; i < 30; i++) await write(i);
    const unpublished = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE user_id = $1 AND published_at IS NULL', [user]);
    assert.ok(unpublished.rows[0].n > 0, 'events wait in the outbox while Kafka is down');
    await up(); // starts Kafka again (and anything else that is not running)
    for (let i = 30; i < 40; i++) await write(i);
    await expectAuditedOnce(user, ids, 90_000);
  });

  it('kill -9 of the actor host in the middle of a burst: every acknowledged write has its event audited exactly once', async () => {
    const user = uniqueUser('crash');
    const token = await tokenFor(user);
    const actors = readState()?.processes.find((p) => p.name === 'actors');
    assert.ok(actors && isAlive(actors));
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const r = await api('POST', '/v1/tasks', { token, body: { title: `burst ${w}-${i}` } }).catch(() => undefined);
        if (r?.status === 201) acknowledged.push(r.body.id);
        else await sleep(50);
      }
    });
    await sleep(1500);
    process.kill(actors.pid, 'SIGKILL');
    await sleep(1000);
    stop = true;
    await Promise.all(writers);
    await up(); // brings the actor host back; its relay publishes what the crash left in the outbox
    assert.ok(acknowledged.length > 0);
    await expectAuditedOnce(user, acknowledged, 60_000, true);
  });

  it('a poison message lands in the dead-letter topic with its reason, and consumption goes on', async () => {
    const kafka = createKafka('poison-test', createLogger('poison-test'), { quiet: true });
    const producer = kafka.producer();
    await producer.connect();
    const marker = `poison-${Date.now()}`;
    await producer.send({ topic: TOPICS.taskEvents, messages: [{ key: 'poison-user', value: `{"not": "an event", "marker": "${marker}"}` }, { key: 'poison-user', value: 'not even json' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `poison-test-${Date.now()}` });
    const seen: Array<{ value: string; reason: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(TOPICS.taskEvents), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => {
      seen.push({ value: message.value?.toString() ?? '', reason: message.headers?.['dlt-reason']?.toString() ?? '' });
    } });
    try {
      const dead = await eventually(async () => seen.find((m) => m.value.includes(marker)), 30_000, 'the poison message in the dead-letter topic');
      assert.match(dead.reason, /invalid event/);
      // Consumption goes on: a normal write after the poison is audited.
      const user = uniqueUser('after-poison');
      const r = await api('POST', '/v1/tasks', { token: await tokenFor(user), body: { title: 'after the poison' } });
      await expectAuditedOnce(user, [r.body.id], 30_000);
    } finally {
      await consumer.disconnect();
    }
  });
});
