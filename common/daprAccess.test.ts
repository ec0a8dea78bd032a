import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { requireAccessTokens, requireAppToken } from './daprAccess';

describe("an app port that only its daprd may call (Dapr's APP_API_TOKEN)", () => {
  let server: http.Server;
  let base = '';
  before(async () => {
    const app = express();
    app.use(requireAppToken('s3cret-token'));
    app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
    app.get('/audit', (_req, res) => res.json({ items: ['private'] }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('refuses a request without the token, or with another, with 401 and a reason', async () => {
    for (const headers of [{}, { 'dapr-api-token': 's3cret-tokeN' }, { 'dapr-api-token': 's3cret' }, { authorization: 'Bearer s3cret-token' }]) {
      const res = await fetch(`${base}/audit`, { headers });
      assert.equal(res.status, 401);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /dapr-api-token/);
    }
  });

  it('answers the token, and the liveness probe daprd sends without one', async () => {
    assert.equal((await fetch(`${base}/audit`, { headers: { 'dapr-api-token': 's3cret-token' } })).status, 200);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 401);
  });
});

describe('a service started with NODE_ENV=production', () => {
  it("refuses to start without Dapr's tokens, naming the variables", () => {
    const prod = { NODE_ENV: 'production' };
    assert.throws(() => requireAccessTokens('todo-actors', true, { appApiToken: '', daprApiToken: '' }, prod), /APP_API_TOKEN and DAPR_API_TOKEN/);
    assert.throws(() => requireAccessTokens('todo-gateway', false, { appApiToken: '', daprApiToken: '' }, prod), /needs DAPR_API_TOKEN/);
    assert.doesNotThrow(() => requireAccessTokens('todo-gateway', false, { appApiToken: '', daprApiToken: 'x' }, prod));
    assert.doesNotThrow(() => requireAccessTokens('todo-actors', true, { appApiToken: '', daprApiToken: '' }, {}));
  });
});
