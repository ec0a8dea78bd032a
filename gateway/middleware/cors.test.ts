import assert from 'node:assert/strict';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { cors } from './cors';

async function withApp(setting: string, fn: (base: string) => Promise<void>) {
  const app = express();
  app.use(cors(setting));
  app.get('/x', (_req, res) => res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

describe('CORS', () => {
  it('sends no CORS headers by default', () => withApp('', async (base) => {
    const r = await fetch(`${base}/x`, { headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  }));

  it('allows only the configured origins, and answers their preflight', () => withApp('https://app.example, https://m.example', async (base) => {
    const ok = await fetch(`${base}/x`, { headers: { origin: 'https://m.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://m.example');
    const other = await fetch(`${base}/x`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const pre = await fetch(`${base}/x`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PATCH' } });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /If-Match/);
  }));
});
