/**
 * The walking skeleton, end to end on the real stack: a task created over REST goes through the
 * gateway's daprd to the user's UserActor, into PostgreSQL with its outbox row, onto Kafka
 * `task-events` keyed by the user, through the audit subscriber into `audit_log`, and out of
 * GET /v1/audit. Also checks that the processes doing this are the real ones.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Consumer, Kafka } from 'kafkajs';
import { config } from '../common/config';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { createPool } from '../common/db/pool';
import { TOPICS } from '../common/events/envelope';
import { commandLineOf, isAlive } from '../stack/processes';
import { sidecars } from '../stack/services';
import { readState } from '../stack/stackState';
import { api, eventually, sidecarHeaders, tokenFor, uniqueUser } from '../stack/testSupport';

describe('walking skeleton: a task travels through every layer of the real stack', function () {
  this.timeout(120_000);
  const user = uniqueUser('skeleton');
  let token: string;
  let pool: Pool;
  let kafka: Kafka;
  let consumer: Consumer | undefined;
  let startOffsets: Array<{ partition: number; offset: string }>;
  let taskId: string;

  before(async () => {
    token = await tokenFor(user, `${user}@example.com`);
    pool = createPool('walking-skeleton-test');
    kafka = createKafka('walking-skeleton-test', createLogger('walking-skeleton-test'), { quiet: true });
    const admin = kafka.admin();
    await admin.connect();
    startOffsets = (await admin.fetchTopicOffsets(TOPICS.taskEvents)).map((p) => ({ partition: p.partition, offset: p.offset }));
    await admin.disconnect();
  });

  after(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await pool?.end();
  });

  it('POST /v1/tasks creates the task in the caller\'s actor and GET /v1/tasks/{id} returns it', async () => {
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'Send the report', priority: 'high', tags: ['work'], due: '2026-12-01T09:00:00+01:00' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    taskId = created.body.id;
    assert.match(taskId, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.title, 'Send the report');
    assert.equal(created.body.due, '2026-12-01T08:00:00.000Z');
    assert.equal(created.body.status, 'open');
    assert.equal(created.body.version, 1);
    assert.equal(created.headers.get('location'), `/v1/tasks/${taskId}`);
    const got = await api('GET', `/v1/tasks/${taskId}`, { token });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);
  });

  it('the actor wrote the task row and its outbox row to PostgreSQL, and the outbox row got published', async () => {
    const t = await pool.query('SELECT title, version FROM tasks WHERE user_id = $1 AND id = $2', [user, taskId]);
    assert.deepEqual(t.rows, [{ title: 'Send the report', version: 1 }]);
    const published = await eventually(async () => {
      const o = await pool.query("SELECT topic, payload, published_at FROM outbox WHERE user_id = $1 AND payload->>'taskId' = $2", [user, taskId]);
      assert.equal(o.rowCount, 1);
      assert.equal(o.rows[0].topic, TOPICS.taskEvents);
      assert.equal(o.rows[0].payload.type, 'task.created');
      return o.rows[0].published_at ? o.rows[0] : undefined;
    }, 20_000, 'the outbox row to be published');
    assert.ok(published.published_at instanceof Date);
  });

  it('the task.created event is on Kafka task-events, keyed by the user id', async () => {
    const seen: Array<{ key: string; value: { type: string; userId: string; taskId: string; data: { task: { title: string } } } | null; partition: number }> = [];
    consumer = kafka.consumer({ groupId: `walking-skeleton-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.taskEvents, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push({ key: message.key?.toString() ?? '', value: JSON.parse(message.value?.toString() ?? 'null'), partition });
      },
    });
    for (const p of startOffsets) consumer.seek({ topic: TOPICS.taskEvents, partition: p.partition, offset: p.offset });
    const msg = await eventually(async () => seen.find((m) => m.value?.taskId === taskId), 30_000, 'the event on Kafka');
    assert.equal(msg.key, user);
    assert.equal(msg.value?.type, 'task.created');
    assert.equal(msg.value?.userId, user);
    assert.equal(msg.value?.data.task.title, 'Send the report');
  });

  it('the audit subscriber recorded it, and GET /v1/audit shows it to the owner only', async () => {
    const page = await eventually(async () => {
      const res = await api('GET', `/v1/audit?taskId=${taskId}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.length > 0 ? res.body : undefined;
    }, 30_000, 'the audit entry');
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].type, 'task.created');
    assert.equal(page.items[0].taskId, taskId);
    const row = await pool.query('SELECT user_id, type FROM audit_log WHERE task_id = $1', [taskId]);
    assert.deepEqual(row.rows, [{ user_id: user, type: 'task.created' }]);

    const stranger = await tokenFor(uniqueUser('stranger'));
    const other = await api('GET', `/v1/audit?taskId=${taskId}`, { token: stranger });
    assert.equal(other.status, 200);
    assert.deepEqual(other.body.items, []);
  });

  it("the actor host's daprd lists an active UserActor in its metadata", async () => {
    const res = await fetch(`http://127.0.0.1:${sidecars().actors.httpPort}/v1.0/metadata`, { headers: sidecarHeaders('actors') });
    const meta = (await res.json()) as { actorRuntime?: { activeActors?: Array<{ type: string; count: number }> }; actors?: Array<{ type: string; count: number }> };
    const active = meta.actorRuntime?.activeActors ?? meta.actors ?? [];
    const userActors = active.find((a) => a.type === 'UserActor');
    assert.ok(userActors && userActors.count >= 1, `metadata: ${JSON.stringify(meta)}`);
  });

  it('the processes are the real ones: daprd, placement, scheduler, a JVM running kafka.Kafka, postgres', () => {
    const state = readState();
    assert.ok(state, 'the stack state file exists');
    const cmd = (name: string) => {
      const p = state.processes.find((x) => x.name === name);
      assert.ok(p && isAlive(p), `${name} is running`);
      return commandLineOf(p.pid);
    };
    for (const name of ['daprd-gateway', 'daprd-actors', 'daprd-subscribers']) assert.match(cmd(name)[0], /\/daprd$/);
    assert.match(cmd('placement')[0], /\/placement$/);
    assert.match(cmd('scheduler')[0], /\/scheduler$/);
    const kafkaCmd = cmd('kafka');
    assert.match(kafkaCmd[0], /java$/);
    assert.ok(kafkaCmd.includes('kafka.Kafka'));
    assert.match(cmd('postgres')[0], /\/postgres$/);
    assert.equal(state.pgPort, config.pgPort);
  });

  it("another user can neither read the task nor see it by id", async () => {
    const other = await tokenFor(uniqueUser('other'));
    const res = await api('GET', `/v1/tasks/${taskId}`, { token: other });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  it('the same Idempotency-Key returns the same task, never a second one', async () => {
    const key = randomUUID();
    const a = await api('POST', '/v1/tasks', { token, body: { title: 'once' }, headers: { 'idempotency-key': key } });
    const b = await api('POST', '/v1/tasks', { token, body: { title: 'once' }, headers: { 'idempotency-key': key } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 200);
    assert.equal(b.body.id, a.body.id);
    const n = await pool.query("SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND title = 'once'", [user]);
    assert.equal(n.rows[0].n, 1);
  });
});

describe('gateway: authentication and bad input on the real stack', function () {
  this.timeout(30_000);

  it('401 with a JSON error for no token, a bad signature, alg none and an expired token', async () => {
    const { SignJWT, UnsecuredJWT } = await import('jose');
    const expired = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(config.jwtSecret));
    const forged = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('nope'));
    const none = new UnsecuredJWT({ sub: 'alice' }).setExpirationTime('1h').encode();
    for (const token of [undefined, forged, none, expired, 'garbage']) {
      const res = await api('GET', '/v1/tasks/x', { token });
      assert.equal(res.status, 401, `token ${token}`);
      assert.equal(res.body.error.code, 'unauthenticated');
    }
  });

  it('400 names the bad fields; malformed JSON is 400; a body over 1 MiB is 413', async () => {
    const token = await tokenFor(uniqueUser('input'));
    const bad = await api('POST', '/v1/tasks', { token, body: { title: '', timezone: 'Mars/Base', due: 'soon' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(new Set(bad.body.error.details.map((d: { field: string }) => d.field)), new Set(['title', 'timezone', 'due']));
    const malformed = await api('POST', '/v1/tasks', { token, rawBody: '{"title": ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'malformed_json');
    const huge = await api('POST', '/v1/tasks', { token, body: { title: 'x', description: 'y'.repeat(1_100_000) } });
    assert.equal(huge.status, 413);
  });
});
