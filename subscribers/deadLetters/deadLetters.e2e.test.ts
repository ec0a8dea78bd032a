/**
 * Dead letters on the real stack (Kafka, PostgreSQL, the SMTP sink, the gateway through Dapr):
 * what can never succeed is dead-lettered with its reason, an operator lists and replays it once
 * the fault is fixed and it is consumed once; a transient failure (the database stopped under the
 * audit) is retried, never dead-lettered, and loses nothing; an SMTP server refusing every mail
 * ends in reminder.failed for the user, and an operator's replay delivers the email once; only
 * operators reach /v1/admin.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { config } from '../../common/config';
import { createPool } from '../../common/db/pool';
import { createKafka, ensureTopics } from '../../common/kafka';
import { deadLetterRetentionMs } from '../../common/deadLetters';
import { createLogger } from '../../common/logger';
import { buildEvent, deadLetterTopic, REPLAY_TOPIC, TOPICS } from '../../common/events/envelope';
import { newTask } from '../../actors/taskRules';
import { stopProcess } from '../../stack/processes';
import { up } from '../../stack/stack';
import { readState } from '../../stack/stackState';
import { api, device, eventually, restartSubscribers, serviceMetrics, streamUrl, tokenFor, uniqueUser, type JsonBody } from '../../stack/testSupport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sinkUrl = (path: string) => `http://127.0.0.1:${config.smtpSinkHttpPort}${path}`;

async function setRefusal(mode: 'none' | 'tempfail' | 'reject'): Promise<void> {
  const res = await fetch(sinkUrl('/refusal'), { method: 'PUT', body: JSON.stringify({ mode }) });
  assert.equal(res.status, 200, `the sink takes refusal mode ${mode}`);
}

async function mailsTo(address: string): Promise<unknown[]> {
  return (await (await fetch(sinkUrl(`/messages?to=${encodeURIComponent(address)}`))).json()) as unknown[];
}

/** Every message on a topic from the beginning up to its end now, read by a fresh group (nothing committed matters). */
async function readTopic(topic: string): Promise<Array<{ value: string; headers: Record<string, string> }>> {
  const kafka = createKafka('dead-letters-test', createLogger('dead-letters-test'), { quiet: true });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const want = ends.filter((p) => BigInt(p.high) > BigInt(p.low));
  const out: Array<{ value: string; headers: Record<string, string> }> = [];
  if (want.length === 0) return out;
  const consumer = kafka.consumer({ groupId: `dead-letters-test-${randomUUID()}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Set<number>();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      out.push({ value: message.value?.toString('utf8') ?? '', headers });
      const end = want.find((p) => p.partition === partition);
      if (end && BigInt(message.offset) + 1n >= BigInt(end.high)) done.add(partition);
    },
  });
  try {
    await eventually(async () => (done.size >= want.length ? true : undefined), 60_000, `reading ${topic} to its end`);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

describe('dead letters, retries and the operator API', function () {
  this.timeout(180_000);
  let pool: Pool;
  let operator: string;
  const operatorName = uniqueUser('operator');
  before(async () => {
    pool = createPool('dead-letters-test');
    operator = await tokenFor(operatorName, undefined, { roles: ['operator'] });
  });
  after(() => pool.end());

  const listed = async (q: string) => {
    const res = await api('GET', `/v1/admin/dead-letters?${q}`, { token: operator });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items as JsonBody[];
  };

  it('a poison event is dead-lettered at once with its reason, listed (and kept on the topic), replayed once the fault is fixed, and consumed once', async () => {
    const user = uniqueUser('poison');
    const token = await tokenFor(user);
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'a task the audit will refuse to record' } });
    assert.equal(created.status, 201);
    const taskId = String(created.body.id);
    assert.match(taskId, /^[A-Za-z0-9_-]+$/);
    // The fault: a database constraint that refuses this task's updates (as corrupt data would be refused).
    const constraint = `dead_letter_test_${randomUUID().replace(/-/g, '')}`;
    await pool.query(`ALTER TABLE audit_log ADD CONSTRAINT ${constraint} CHECK (task_id IS DISTINCT FROM '${taskId}' OR type <> 'task.updated') NOT VALID`);
    let fixed = false;
    try {
      const patched = await api('PATCH', `/v1/tasks/${taskId}`, { token, body: { title: 'poison' } });
      assert.equal(patched.status, 200);
      const eventId = await eventually(async () => (await pool.query<{ id: string }>(
        "SELECT payload->>'eventId' AS id FROM outbox WHERE user_id = $1 AND payload->>'type' = 'task.updated'", [user],
      )).rows[0]?.id, 20_000, 'the task.updated in the outbox');

      const [letter] = await eventually(async () => {
        const items = await listed(`topic=task-events&group=audit&eventId=${eventId}`);
        return items.length ? items : undefined;
      }, 60_000, 'the dead letter listed by the operator API');
      assert.equal(letter.topic, TOPICS.taskEvents);
      assert.equal(letter.deadLetterTopic, deadLetterTopic(TOPICS.taskEvents));
      assert.equal(letter.group, 'audit');
      assert.equal(letter.key, user);
      assert.equal(letter.attempts, 1, 'a permanent failure is not retried');
      assert.match(letter.reason, /^can never succeed: 23514: .*check constraint/);
      assert.equal(typeof letter.partition, 'number');
      assert.match(letter.offset, /^\d+$/);
      assert.equal(letter.status, 'dead');
      assert.equal(letter.eventType, 'task.updated');
      assert.equal((await pool.query('SELECT 1 FROM audit_log WHERE event_id = $1', [eventId])).rowCount, 0, 'not recorded while the fault lasts');

      const onTopic = (await readTopic(deadLetterTopic(TOPICS.taskEvents))).filter((m) => m.value.includes(eventId));
      assert.equal(onTopic.length, 1, 'listing took nothing off the dead-letter topic');
      assert.equal(onTopic[0].headers['dlt-source-offset'], letter.offset);
      assert.equal(onTopic[0].headers['dlt-attempts'], '1');
      assert.ok(!Number.isNaN(Date.parse(onTopic[0].headers['dlt-time'])));

      await pool.query(`ALTER TABLE audit_log DROP CONSTRAINT ${constraint}`);
      fixed = true;
      const replayed = await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, { token: operator });
      assert.equal(replayed.status, 200, JSON.stringify(replayed.body));
      assert.equal(replayed.body.replayed.id, letter.id);
      await eventually(async () => ((await pool.query('SELECT 1 FROM audit_log WHERE event_id = $1', [eventId])).rowCount === 1 ? true : undefined), 60_000, 'the replayed event recorded by the audit');
      assert.equal((await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, { token: operator })).status, 200, 'replayed a second time');
      await eventually(async () => ((await listed(`eventId=${eventId}`))[0]?.replays === 2 ? true : undefined), 10_000, 'two replays counted');
      await sleep(3000);
      const trail = await api('GET', '/v1/audit?limit=50', { token });
      assert.equal(trail.body.items.filter((e: JsonBody) => e.eventId === eventId).length, 1, 'consumed once');
      assert.equal((await listed(`eventId=${eventId}`)).length, 1, 'the replays made no new dead letter');
      assert.equal((await readTopic(TOPICS.taskEvents)).filter((m) => m.value.includes(eventId)).length, 1, 'a replay does not write the event topic (only the actor host does)');
      const replays = (await readTopic(REPLAY_TOPIC)).filter((m) => m.value.includes(eventId));
      assert.deepEqual(replays.map((m) => [m.headers['dlt-replay-group'], m.headers['dlt-replay-id'], m.headers['dlt-replay-source-topic'], m.headers['dlt-replay-source-offset']]),
        [0, 1].map(() => ['audit', letter.id, TOPICS.taskEvents, letter.offset]), 'each replay is on dead-letter-replays, for the audit, naming where the message was read');

      const actions = (await pool.query('SELECT action, target, at FROM admin_actions WHERE target = $1 ORDER BY id', [letter.id])).rows;
      assert.deepEqual(actions.map((a) => a.action), ['dead-letters.replay', 'dead-letters.replay'], 'each replay is in the operators\' audit trail');
      const discarded = await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/discard`, { token: operator });
      assert.equal(discarded.status, 200);
      assert.equal((await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, { token: operator })).status, 409, 'a discarded dead letter is never replayed');
      const trailOfOperators = (await pool.query('SELECT operator, action, at FROM admin_actions WHERE target = $1 ORDER BY id', [letter.id])).rows;
      assert.deepEqual(trailOfOperators.map((a) => [a.operator, a.action]), [[operatorName, 'dead-letters.replay'], [operatorName, 'dead-letters.replay'], [operatorName, 'dead-letters.discard']], 'who did what');
      assert.ok(trailOfOperators.every((a) => a.at instanceof Date && a.at.getTime() >= Date.parse(letter.deadLetteredAt)), 'and when');
      const listings = (await pool.query("SELECT params FROM admin_actions WHERE operator = $1 AND action = 'dead-letters.list'", [operatorName])).rows;
      assert.ok(listings.some((a) => a.params.eventId === eventId), 'a listing is recorded too, with its filter');
    } finally {
      if (!fixed) await pool.query(`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS ${constraint}`);
    }
  });

  it('an unknown failure (a trigger raising) is retried on the schedule of its group and type (CONSUMER_RETRY_POLICIES), then dead-lettered with the tries made', async () => {
    await restartSubscribers({ CONSUMER_RETRY_POLICIES: 'audit/task.updated=100ms,100ms' });
    const fn = `dead_letter_test_${randomUUID().replace(/-/g, '')}`;
    try {
      const user = uniqueUser('unknown-failure');
      const token = await tokenFor(user);
      const created = await api('POST', '/v1/tasks', { token, body: { title: 'a task whose update a trigger refuses' } });
      assert.equal(created.status, 201);
      const taskId = String(created.body.id);
      assert.match(taskId, /^[A-Za-z0-9_-]+$/);
      await pool.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        IF NEW.task_id = '${taskId}' AND NEW.type = 'task.updated' THEN RAISE EXCEPTION 'a fault no one foresaw'; END IF; RETURN NEW; END $$`);
      await pool.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      assert.equal((await api('PATCH', `/v1/tasks/${taskId}`, { token, body: { title: 'refused by a trigger' } })).status, 200);
      const eventId = await eventually(async () => (await pool.query<{ id: string }>(
        "SELECT payload->>'eventId' AS id FROM outbox WHERE user_id = $1 AND payload->>'type' = 'task.updated'", [user],
      )).rows[0]?.id, 20_000, 'the task.updated in the outbox');
      const [letter] = await eventually(async () => {
        const items = await listed(`group=audit&eventId=${eventId}`);
        return items.length ? items : undefined;
      }, 60_000, 'the dead letter of the unknown failure');
      assert.equal(letter.attempts, 3, 'one try and the two retries of the policy');
      assert.match(letter.reason, /^gave up after 3 tries: .*a fault no one foresaw/);
    } finally {
      await pool.query(`DROP TRIGGER IF EXISTS ${fn} ON audit_log`);
      await pool.query(`DROP FUNCTION IF EXISTS ${fn}()`);
      await restartSubscribers({});
    }
  });

  it('the database stopped under the audit consumer: the events are retried, none is dead-lettered, and none is lost', async () => {
    const user = uniqueUser('db-down');
    const task = newTask({ title: 'written while the database is down' }, 'UTC', new Date());
    const events = Array.from({ length: 5 }, (_, i) => buildEvent('task.created', user, `${task.id}-${i}`, { task: { ...task, id: `${task.id}-${i}` } }, new Date()));
    const kafka = createKafka('dead-letters-test', createLogger('dead-letters-test'), { quiet: true });
    const producer: Producer = kafka.producer();
    await producer.connect();
    const retriesBefore = await transientRetries();
    const postgres = readState()?.processes.find((p) => p.name === 'postgres');
    assert.ok(postgres, 'the stack runs PostgreSQL');
    const subscribersPid = readState()?.processes.find((p) => p.name === 'subscribers')?.pid;
    try {
      await stopProcess(postgres, 'SIGINT', 30_000);
      await producer.send({ topic: TOPICS.taskEvents, acks: -1, messages: events.map((e) => ({ key: user, value: JSON.stringify(e) })) });
      await eventually(async () => ((await transientRetries()) > retriesBefore ? true : undefined), 60_000, 'the audit retrying a transient failure');
      await sleep(3000);
    } finally {
      await producer.disconnect();
      await up();
    }
    await eventually(async () => {
      const n = (await pool.query('SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1', [user])).rows[0].n;
      return n === events.length ? true : undefined;
    }, 90_000, 'every event recorded once the database is back');
    const dead = (await readTopic(deadLetterTopic(TOPICS.taskEvents))).filter((m) => m.value.includes(user));
    assert.deepEqual(dead, [], 'no dead letter for a transient failure');
    assert.equal(readState()?.processes.find((p) => p.name === 'subscribers')?.pid, subscribersPid, 'the subscribers rode out the outage (not restarted)');
  });

  it('an SMTP server refusing every mail ends in reminder.failed on the user\'s device and on the task; an operator\'s replay, twice, delivers the email once', async () => {
    const user = uniqueUser('refused');
    const address = `${user}@example.com`;
    const token = await tokenFor(user, address);
    const phone = await device(streamUrl(), { authorization: `Bearer ${token}` });
    await setRefusal('reject');
    try {
      const created = await api('POST', '/v1/tasks', { token, body: { title: 'Water the plants', reminders: [{ id: 'r1', at: new Date(Date.now() + 3000).toISOString() }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const failed = await eventually(async () => phone.events().find((e) => e.type === 'reminder.failed'), 60_000, 'reminder.failed on the device');
      assert.equal(failed.taskId, created.body.id);
      assert.equal(failed.data.reminderId, 'r1');
      assert.match(failed.data.reason ?? '', /refused by the SMTP server: .*550/);
      const dueEventId = failed.data.dueEventId as string;
      const taskPath = `/v1/tasks/${created.body.id}`;
      const onTask = (await api('GET', taskPath, { token })).body.reminders[0].lastDelivery;
      assert.equal(onTask?.status, 'failed', `the task shows the failure: ${JSON.stringify(onTask)}`);
      assert.match(onTask.reason, /550/);
      assert.ok(onTask.reason.length <= 200);
      const asked = await api('POST', '/v1/chat', { token, body: { message: 'did my reminder go out?' } });
      assert.equal(asked.body.intent, 'delivery', JSON.stringify(asked.body));
      assert.match(asked.body.reply, /“Water the plants”: the reminder email could not be delivered \(refused by the SMTP server: .*550/);

      const [letter] = await eventually(async () => {
        const items = await listed(`topic=reminders&group=notifications&eventId=${dueEventId}`);
        return items.length ? items : undefined;
      }, 60_000, 'the reminder\'s dead letter listed');
      assert.match(letter.reason, /550/);
      assert.equal(letter.eventType, 'reminder.due');
      assert.equal(typeof letter.partition, 'number', 'where the reminder.due was read');

      await setRefusal('none');
      for (let i = 0; i < 2; i++) {
        const r = await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, { token: operator });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      await eventually(async () => ((await mailsTo(address)).length >= 1 ? true : undefined), 60_000, 'the replayed reminder emailed');
      await eventually(async () => phone.events().find((e) => e.type === 'reminder.sent'), 30_000, 'reminder.sent on the device');
      const listedTask = (await api('GET', '/v1/tasks', { token })).body.items.find((t: JsonBody) => t.id === created.body.id);
      assert.equal(listedTask.reminders[0].lastDelivery.status, 'sent', 'the task shows the replayed delivery');
      assert.match((await api('POST', '/v1/chat', { token, body: { message: 'was the reminder for the plants sent?' } })).body.reply, /“Water the plants”: the reminder email went out/);
      await sleep(3000);
      const bulk = await api('POST', '/v1/admin/dead-letters/replay', { token: operator, body: { eventId: dueEventId, status: 'replayed' } });
      assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
      assert.equal(bulk.body.replayed.length, 1, 'the bulk replay matched it');
      await sleep(4000);
      assert.equal((await mailsTo(address)).length, 1, 'sent once, however often it is replayed');
    } finally {
      await setRefusal('none');
      phone.ws.close();
    }
  });

  it('a device stream\'s dead letter is listed but not replayed: 409 with the reason, and a bulk replay skips it', async () => {
    const user = uniqueUser('stream-poison');
    const kafka = createKafka('dead-letters-test', createLogger('dead-letters-test'), { quiet: true });
    const producer: Producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: TOPICS.taskUpdates, acks: -1, messages: [{ key: user, value: '{"not": "an event"}' }] });
    } finally {
      await producer.disconnect();
    }
    const letter = await eventually(async () => (await listed('topic=task-updates&limit=500')).find((l) => l.key === user), 60_000, 'the device stream\'s dead letter listed');
    assert.match(letter.group, /^sync-/);
    assert.match(letter.reason, /^invalid event/);
    const r = await api('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, { token: operator });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.match(r.body.error.message, /device stream/);
    const bulk = await api('POST', '/v1/admin/dead-letters/replay', { token: operator, body: { topic: 'task-updates' } });
    assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
    assert.deepEqual(bulk.body.replayed, []);
    assert.ok(bulk.body.skipped.some((l: JsonBody) => l.id === letter.id));
    assert.equal((await listed(`topic=task-updates&limit=500`)).find((l) => l.id === letter.id)?.status, 'dead', 'still waiting for an operator');
  });

  it('each dead-letter topic keeps its messages for its own retention (30, 7 and 14 days by default), set again at every start', async () => {
    const admin = createKafka('dead-letters-test', createLogger('dead-letters-test'), { quiet: true }).admin();
    await admin.connect();
    const dlts = Object.values(TOPICS).map(deadLetterTopic);
    const retention = async () => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: dlts.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })) });
      return dlts.map((t) => resources.find((r) => r.resourceName === t)?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue);
    };
    try {
      assert.deepEqual(await retention(), dlts.map((t) => String(deadLetterRetentionMs(t))));
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: deadLetterTopic(TOPICS.reminders), configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
      assert.equal((await retention())[1], '60000', 'changed by hand');
      await ensureTopics(admin);
      assert.deepEqual(await retention(), dlts.map((t) => String(deadLetterRetentionMs(t))), 'what a service does at its start sets it back');
    } finally {
      await ensureTopics(admin).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('only operators reach /v1/admin: a user\'s token gets 403 on every route, no token 401', async () => {
    const userToken = await tokenFor(uniqueUser('not-operator'), undefined, { roles: ['reader'] });
    const id = encodeURIComponent('task-events.dlt:0:0');
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/v1/admin/dead-letters'], ['GET', '/v1/admin/dead-letters?topic=task-events&limit=5'],
      ['POST', '/v1/admin/dead-letters/replay', { topic: 'task-events' }], ['POST', `/v1/admin/dead-letters/${id}/replay`],
      ['POST', `/v1/admin/dead-letters/${id}/discard`], ['GET', '/v1/admin/no-such-route'],
    ];
    for (const [method, path, body] of routes) {
      const asUser = await api(method, path, { token: userToken, body });
      assert.equal(asUser.status, 403, `${method} ${path} with a user's token`);
      assert.equal(asUser.body.error.code, 'forbidden');
      assert.equal((await api(method, path, { body })).status, 401, `${method} ${path} without a token`);
    }
    assert.equal((await api('GET', '/v1/admin/dead-letters?limit=0', { token: operator })).status, 400);
    assert.equal((await api('POST', '/v1/admin/dead-letters/replay', { token: operator, body: {} })).status, 400, 'a bulk replay needs a filter');
    assert.equal((await api('POST', '/v1/admin/dead-letters/not-an-id/replay', { token: operator })).status, 400);
    assert.equal((await api('POST', `/v1/admin/dead-letters/${encodeURIComponent('task-events.dlt:0:999999999')}/replay`, { token: operator })).status, 404);
  });
});

async function transientRetries(): Promise<number> {
  const text = await serviceMetrics('subscribers');
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('consumer_retries_total{') && line.includes('group="audit"') && line.includes('kind="transient"')) n += Number(line.split(' ').pop());
  }
  return n;
}
