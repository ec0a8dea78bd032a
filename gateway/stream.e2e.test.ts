/** GET /v1/stream on the real stack: every event of the caller's tasks to every device of that user, to no one else. */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { config } from '../common/config';
import { api, eventually, tokenFor, uniqueUser } from '../stack/testSupport';

const url = (q = '') => `ws://127.0.0.1:${config.gatewayPort}/v1/stream${q}`;

function device(u: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; events: any[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(u, { headers });
    const events: any[] = [];
    ws.on('message', (data) => events.push(JSON.parse(data.toString())));
    ws.once('open', () => resolve({ ws, events }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('device stream (WebSocket)', function () {
  this.timeout(60_000);

  it('two devices of user A see all 100 writes live; user B\'s device sees none', async () => {
    const a = uniqueUser('stream-a');
    const b = uniqueUser('stream-b');
    const tokenA = await tokenFor(a);
    const phone = await device(url(), { authorization: `Bearer ${tokenA}` });
    const laptop = await device(url(`?token=${encodeURIComponent(tokenA)}`));
    const other = await device(url(`?token=${encodeURIComponent(await tokenFor(b))}`));
    try {
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => api('POST', '/v1/tasks', { token: tokenA, body: { title: `live ${i}` } })));
      const ids = new Set(results.map((r) => r.body.id));
      for (const d of [phone, laptop]) {
        await eventually(async () => (d.events.filter((e) => e.type === 'task.created').length >= 100 ? true : undefined), 30_000, 'all 100 events on a device');
        const created = d.events.filter((e) => e.type === 'task.created');
        assert.equal(created.length, 100);
        assert.deepEqual(new Set(created.map((e) => e.taskId)), ids);
        assert.ok(d.events.every((e) => e.userId === a), 'only the user\'s own events');
      }
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(other.events, [], 'user B saw nothing');
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
    const laptop = await device(url(`?token=${encodeURIComponent(tokenA)}`));
    const other = await device(url(`?token=${encodeURIComponent(tokenB)}`));
    try {
      const fireAt = new Date(Date.now() + 3000).toISOString();
      const mine = await api('POST', '/v1/tasks', { token: tokenA, body: { title: 'Call the bank', reminders: [{ id: 'r-a', at: fireAt }] } });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      // B has a reminder too, later: the test waits for it so that B's silence about A's means something.
      const theirs = await api('POST', '/v1/tasks', { token: tokenB, body: { title: 'Feed the cat', reminders: [{ id: 'r-b', at: new Date(Date.now() + 4000).toISOString() }] } });
      assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
      const dueOn = (d: { events: any[] }) => d.events.filter((e) => e.type === 'reminder.due');
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
        assert.ok(d.events.every((e) => e.userId === a), 'nothing of B on A\'s devices');
      }
      assert.ok(other.events.every((e) => e.userId === b), `nothing of A on B's device: ${JSON.stringify(other.events.filter((e) => e.userId !== b))}`);
    } finally {
      for (const d of [phone, laptop, other]) d.ws.close();
    }
  });

  it('refuses the upgrade without a valid token, with 401', async () => {
    await assert.rejects(device(url()), /401/);
    await assert.rejects(device(url('?token=not-a-jwt')), /401/);
  });
});
