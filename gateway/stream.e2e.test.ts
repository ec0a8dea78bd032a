/**
 * GET /v1/stream on the real stack: every event of the caller's tasks to every device of that user,
 * to no one else; and a reconnecting device's replay of what it missed, from the audit store, by
 * the last eventId it saw or by a timestamp, followed by the live events with no gap and no
 * duplicate (gateway/stream/README.md).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { deadLetterTopic, TOPICS } from '../common/events/envelope';
import { createKafka, partitionOf } from '../common/kafka';
import { createLogger } from '../common/logger';
import { api, device, eventually, streamUrl, tokenFor, uniqueUser, type Device, type Frame } from '../stack/testSupport';

const url = streamUrl;

/** The stream's URL with a fresh single-use ticket (POST /v1/stream/ticket) for this token, then `more` (e.g. `&after=…`). */
async function ticketUrl(token: string, more = ''): Promise<string> {
  const r = await api<{ ticket: string; expiresAt: string }>('POST', '/v1/stream/ticket', { token });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return url(`?ticket=${encodeURIComponent(r.body.ticket)}${more}`);
}

const closed = (d: Device) => new Promise<void>((resolve) => {
  if (d.ws.readyState === WebSocket.CLOSED) return resolve();
  d.ws.once('close', () => resolve());
  d.ws.close();
});

describe('device stream (WebSocket)', function () {
  this.timeout(60_000);

  it('two devices of user A see all 100 writes live; user B\'s device sees none', async () => {
    const a = uniqueUser('stream-a');
    const b = uniqueUser('stream-b');
    const tokenA = await tokenFor(a);
    const phone = await device(url(), { authorization: `Bearer ${tokenA}` });
    const laptop = await device(await ticketUrl(tokenA));
    const other = await device(await ticketUrl(await tokenFor(b)));
    try {
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => api('POST', '/v1/tasks', { token: tokenA, body: { title: `live ${i}` } })));
      const ids = new Set(results.map((r) => r.body.id));
      for (const d of [phone, laptop]) {
        await eventually(async () => (d.events().filter((e) => e.type === 'task.created').length >= 100 ? true : undefined), 30_000, 'all 100 events on a device');
        const created = d.events().filter((e) => e.type === 'task.created');
        assert.equal(created.length, 100);
        assert.deepEqual(new Set(created.map((e) => e.taskId)), ids);
        assert.ok(d.events().every((e) => e.userId === a), 'only the user\'s own events');
        assert.deepEqual(d.frames.filter((f) => String(f.type).startsWith('stream.')), [], 'no control frames without a replay request');
      }
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(other.frames, [], 'user B saw nothing');
    } finally {
      for (const d of [phone, laptop, other]) d.ws.close();
    }
  });

  it('a reminder as it fires: reminder.due reaches every device of its user, and no other user\'s device', async () => {
    const a = uniqueUser('stream-remind-a');
    const b = uniqueUser('stream-remind-b');
    const tokenA = await tokenFor(a, `${a}@example.com`);
    const tokenB = await tokenFor(b, `${b}@example.com`);
    const phone = await device(url(), { authorization: `Bearer ${tokenA}` });
    const laptop = await device(await ticketUrl(tokenA));
    const other = await device(await ticketUrl(tokenB));
    try {
      const fireAt = new Date(Date.now() + 3000).toISOString();
      const mine = await api('POST', '/v1/tasks', { token: tokenA, body: { title: 'Call the bank', reminders: [{ id: 'r-a', at: fireAt }] } });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      // B has a reminder too, later: the test waits for it so that B's silence about A's means something.
      const theirs = await api('POST', '/v1/tasks', { token: tokenB, body: { title: 'Feed the cat', reminders: [{ id: 'r-b', at: new Date(Date.now() + 4000).toISOString() }] } });
      assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
      const dueOn = (d: Device) => d.events().filter((e) => e.type === 'reminder.due');
      for (const d of [phone, laptop]) {
        const [due] = await eventually(async () => (dueOn(d).length ? dueOn(d) : undefined), 30_000, 'reminder.due on a device of A');
        assert.equal(due.userId, a);
        assert.equal(due.taskId, mine.body.id);
        assert.equal(due.data.reminderId, 'r-a');
        assert.equal(due.data.task.title, 'Call the bank');
        assert.ok(Date.parse(due.data.firedAt) >= Date.parse(fireAt), 'fired at its time, not before');
      }
      const [bDue] = await eventually(async () => (dueOn(other).length ? dueOn(other) : undefined), 30_000, 'B\'s own reminder.due on B\'s device');
      assert.equal(bDue.taskId, theirs.body.id);
      await new Promise((r) => setTimeout(r, 1000));
      for (const d of [phone, laptop]) {
        assert.equal(dueOn(d).length, 1, 'A\'s reminder once on each of A\'s devices');
        assert.ok(d.events().every((e) => e.userId === a), 'nothing of B on A\'s devices');
      }
      assert.ok(other.events().every((e) => e.userId === b), `nothing of A on B's device: ${JSON.stringify(other.events().filter((e) => e.userId !== b))}`);
    } finally {
      for (const d of [phone, laptop, other]) d.ws.close();
    }
  });

  it('refuses the upgrade without a valid token, with 401', async () => {
    await assert.rejects(device(url()), /401/);
    await assert.rejects(device(url(), { authorization: 'Bearer not-a-jwt' }), /401/);
  });

  it('a stream ticket opens one socket, once: a second use, a forged ticket, a JWT in the URL or no ticket at all are refused with 401', async () => {
    const a = uniqueUser('stream-ticket');
    const token = await tokenFor(a);
    const ticketed = await ticketUrl(token);
    const d = await device(ticketed);
    try {
      const created = await api('POST', '/v1/tasks', { token, body: { title: 'through a ticket' } });
      const [e] = await eventually(async () => (d.events().length ? d.events() : undefined), 30_000, 'the event on the ticketed socket');
      assert.equal(e.taskId, created.body.id);
      await assert.rejects(device(ticketed), /401 .*already used/);
      const [body, mac] = new URL(ticketed).searchParams.get('ticket')!.split('.');
      await assert.rejects(device(url(`?ticket=${body}.${mac.slice(1)}A`)), /401 .*not valid/);
      await assert.rejects(device(url(`?token=${encodeURIComponent(token)}`)), /401 .*not accepted/);
      assert.equal((await api('POST', '/v1/stream/ticket', {})).status, 401, 'no ticket without a Bearer token');
    } finally {
      d.ws.close();
    }
  });
});

describe('device stream: replay on reconnect', function () {
  this.timeout(120_000);
  let pool: Pool;
  before(() => {
    pool = createPool('stream-replay-test');
  });
  after(() => pool.end());

  /** A user with a token, and the writes a test makes for it, each acknowledged before the next. */
  async function newUser(prefix: string) {
    const id = uniqueUser(prefix);
    const token = await tokenFor(id);
    return {
      id,
      token,
      create: async (title: string) => {
        const r = await api('POST', '/v1/tasks', { token, body: { title } });
        assert.equal(r.status, 201);
        return r.body.id as string;
      },
      patch: async (taskId: string, body: object) => assert.equal((await api('PATCH', `/v1/tasks/${taskId}`, { token, body })).status, 200),
      complete: async (taskId: string) => assert.equal((await api('POST', `/v1/tasks/${taskId}/complete`, { token })).status, 200),
      remove: async (taskId: string) => assert.equal((await api('DELETE', `/v1/tasks/${taskId}`, { token })).status, 204),
    };
  }

  /** The user's events in its order (the audit's outbox_seq), as [type, taskId]. */
  async function auditedInOrder(userId: string): Promise<Array<{ eventId: string; type: string; taskId: string }>> {
    return (await pool.query<{ event_id: string; type: string; task_id: string }>(
      'SELECT event_id, type, task_id FROM audit_log WHERE user_id = $1 ORDER BY outbox_seq', [userId],
    )).rows.map((r) => ({ eventId: r.event_id, type: r.type, taskId: r.task_id }));
  }

  const replayedFrame = (d: Device) => d.frames.find((f) => f.type === 'stream.replayed');
  const replayedAt = (d: Device) => d.frames.findIndex((f) => f.type === 'stream.replayed');
  const afterReplayed = (d: Device) => d.frames.slice(replayedAt(d) + 1);
  const beforeReplayed = (d: Device) => d.frames.slice(0, replayedAt(d));
  const brief = (es: Frame[]) => es.map((e) => `${e.type} ${e.taskId}`);

  it('after=<last eventId>: exactly the missed events, in order, then the live ones; never another user\'s', async () => {
    const a = await newUser('replay-after');
    const b = await newUser('replay-bystander');
    const first = await device(await ticketUrl(a.token));
    // Connected throughout: once it has the missed events, this gateway has passed them on live, so
    // the replay must bring all of them (the case where it had not is the seam test below).
    const witness = await device(await ticketUrl(a.token));
    const t1 = await a.create('seen before the disconnect');
    await a.create('also seen');
    await eventually(async () => (first.events().length >= 2 ? true : undefined), 30_000, 'the first two events live');
    const lastSeen = first.events()[first.events().length - 1];
    await closed(first);

    // While the device is away: creates, an update, a completion, a delete; and another user's writes.
    const missedTasks = [await a.create('missed 1'), await a.create('missed 2')];
    await b.create('not yours');
    await a.patch(missedTasks[0], { priority: 'high' });
    await a.complete(t1);
    await b.create('not yours either');
    await a.remove(missedTasks[1]);
    const expected = [
      `task.created ${missedTasks[0]}`, `task.created ${missedTasks[1]}`, `task.updated ${missedTasks[0]}`,
      `task.completed ${t1}`, `task.deleted ${missedTasks[1]}`,
    ];

    await eventually(async () => (witness.events().length >= 2 + expected.length ? true : undefined), 30_000, 'the missed events on the witness');
    witness.ws.close();

    const again = await device(await ticketUrl(a.token, `&after=${lastSeen.eventId}`));
    try {
      const replayed = await eventually(async () => replayedFrame(again), 30_000, 'the stream.replayed frame');
      assert.deepEqual(brief(beforeReplayed(again)), expected, 'exactly the missed events, in the order they happened');
      assert.deepEqual(replayed, { type: 'stream.replayed', count: expected.length, lastEventId: beforeReplayed(again)[expected.length - 1].eventId });
      const live = await a.create('live after the replay');
      await eventually(async () => (afterReplayed(again).length >= 1 ? true : undefined), 30_000, 'the live event after the replay');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(brief(afterReplayed(again)), [`task.created ${live}`], 'then the live one, once');
      assert.ok(again.events().every((e) => e.userId === a.id), 'never another user\'s event');
      // The order the device got is the audit's order for the user.
      const audited = await auditedInOrder(a.id);
      const fromLastSeen = audited.slice(audited.findIndex((e) => e.eventId === lastSeen.eventId) + 1);
      assert.deepEqual(again.events().map((e) => e.eventId), fromLastSeen.map((e) => e.eventId));
      // The replay waited for the audit on the partitions where the user's events really are.
      const partitions = await pool.query<{ p: number }>('SELECT DISTINCT kafka_partition AS p FROM audit_log WHERE user_id = $1', [a.id]);
      assert.deepEqual(partitions.rows.map((r) => r.p), [partitionOf(a.id, config.kafkaPartitions)]);
    } finally {
      again.ws.close();
    }
  });

  it('a device connected throughout and a reconnecting one end up with the same events, none twice', async () => {
    const a = await newUser('replay-seam');
    const steady = await device(await ticketUrl(a.token));
    const roaming = await device(await ticketUrl(a.token));
    try {
      await a.create('before');
      await eventually(async () => (roaming.events().length >= 1 ? true : undefined), 30_000, 'the first event');
      const anchor = roaming.events()[0].eventId;
      await closed(roaming);
      // Writes keep coming while the device reconnects: some are replayed, some arrive live during the replay.
      const writer = (async () => {
        for (let i = 0; i < 20; i++) await a.create(`during ${i}`);
      })();
      await new Promise((r) => setTimeout(r, 200));
      const back = await device(await ticketUrl(a.token, `&after=${anchor}`));
      try {
        await writer;
        await eventually(async () => (steady.events().length >= 21 && replayedFrame(back) && back.events().length >= 20 ? true : undefined), 30_000, 'all 21 events');
        await new Promise((r) => setTimeout(r, 500));
        const ids = back.events().map((e) => e.eventId);
        assert.equal(new Set(ids).size, ids.length, 'no event twice');
        assert.deepEqual(ids, steady.events().slice(1).map((e) => e.eventId), 'the same events in the same order as the device that never left');
      } finally {
        back.ws.close();
      }
    } finally {
      steady.ws.close();
    }
  });

  it('since=<timestamp>: every event at or after it, in order, then live', async () => {
    const a = await newUser('replay-since');
    await a.create('long ago');
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const witness = await device(await ticketUrl(a.token));
    const t = await a.create('after the mark');
    await a.patch(t, { title: 'renamed' });
    await a.complete(t);
    await eventually(async () => (witness.events().length >= 3 ? true : undefined), 30_000, 'the events on the witness');
    witness.ws.close();
    const d = await device(await ticketUrl(a.token, `&since=${encodeURIComponent(since)}`));
    try {
      await eventually(async () => replayedFrame(d), 30_000, 'the stream.replayed frame');
      assert.deepEqual(brief(beforeReplayed(d)), [`task.created ${t}`, `task.updated ${t}`, `task.completed ${t}`]);
      const live = await a.create('live');
      await eventually(async () => (afterReplayed(d).length >= 1 ? true : undefined), 30_000, 'the live event');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(brief(afterReplayed(d)), [`task.created ${live}`]);
    } finally {
      d.ws.close();
    }
  });

  it('an unknown eventId, or another user\'s, gets stream.resync (unknown_event) and the live stream goes on; a malformed one 400', async () => {
    const a = await newUser('replay-unknown');
    const b = await newUser('replay-other');
    const bTask = await b.create('b\'s task');
    const bEvent = await eventually(async () => (await auditedInOrder(b.id)).find((e) => e.taskId === bTask), 30_000, 'b\'s event audited');
    for (const after of [randomUUID(), bEvent.eventId]) {
      const d = await device(await ticketUrl(a.token, `&after=${after}`));
      try {
        const resync = await eventually(async () => d.frames.find((f) => f.type === 'stream.resync'), 30_000, 'the stream.resync frame');
        assert.equal(resync.reason, 'unknown_event');
        assert.match(resync.message ?? '', /GET \/v1\/tasks/);
        assert.equal(d.frames.indexOf(resync), 0, 'before anything else');
        const live = await a.create('live after the resync');
        await eventually(async () => d.events().find((e) => e.taskId === live), 30_000, 'the live event');
        assert.ok(d.events().every((e) => e.userId === a.id), 'nothing of b');
      } finally {
        d.ws.close();
      }
    }
    await assert.rejects(device(await ticketUrl(a.token, `&after=not-an-event`)), /400 .*after/);
    await assert.rejects(device(await ticketUrl(a.token, `&since=yesterday`)), /400 .*since/);
    await assert.rejects(device(url(`?after=${randomUUID()}`)), /401/, 'the token is checked first');
    // The Last-Event-ID header works like ?after=.
    const d = await device(await ticketUrl(a.token), { 'last-event-id': randomUUID() });
    try {
      assert.equal((await eventually(async () => d.frames.find((f) => f.type === 'stream.resync'), 30_000, 'resync')).reason, 'unknown_event');
    } finally {
      d.ws.close();
    }
  });

  it('a poison message on task-updates goes to task-updates.dlt with the reason, and the stream goes on', async () => {
    const a = await newUser('stream-poison');
    const d = await device(await ticketUrl(a.token));
    const kafka = createKafka('stream-poison-test', createLogger('stream-poison-test'), { quiet: true });
    const marker = `poison-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId: `stream-poison-test-${randomUUID()}` });
    const seen: Array<{ value: string; reason: string; group: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(TOPICS.taskUpdates), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => {
      seen.push({ value: message.value?.toString() ?? '', reason: message.headers?.['dlt-reason']?.toString() ?? '', group: message.headers?.['dlt-group']?.toString() ?? '' });
    } });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: TOPICS.taskUpdates, messages: [{ key: a.id, value: `{"marker": "${marker}", "userId": "${a.id}"}` }] });
      const dead = await eventually(async () => seen.find((m) => m.value.includes(marker)), 30_000, 'the poison message in task-updates.dlt');
      assert.match(dead.reason, /^invalid event: /);
      assert.match(dead.group, /^sync-/);
      const t = await a.create('after the poison');
      await eventually(async () => d.events().find((e) => e.taskId === t), 30_000, 'the next event live');
      assert.ok(d.frames.every((f) => !JSON.stringify(f).includes(marker)), 'the poison never reached the device');
    } finally {
      d.ws.close();
      await producer.disconnect();
      await consumer.disconnect();
    }
  });
});
