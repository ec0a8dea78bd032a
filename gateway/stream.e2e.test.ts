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

  it('refuses the upgrade without a valid token, with 401', async () => {
    await assert.rejects(device(url()), /401/);
    await assert.rejects(device(url('?token=not-a-jwt')), /401/);
  });
});
