/**
 * The web page's routes in a gateway app on an ephemeral port (no stack needed: none of these
 * routes calls a sidecar): the page and its headers, its module files, and the development sign-in
 * that exists only with the development secret.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { config, DEV_JWT_SECRET } from '../../common/config';
import { createLogger } from '../../common/logger';
import { createApp } from '../app';
import { secretSource, verifyToken } from '../auth';
import { PAGE_CSP } from './webRoutes';

type Cfg = { jwtSecret: string; jwtJwksUrl: string };
const mutable = config as unknown as Cfg;

async function withApp<T>(cfg: Partial<Cfg>, fn: (base: string) => Promise<T>): Promise<T> {
  const saved = { jwtSecret: mutable.jwtSecret, jwtJwksUrl: mutable.jwtJwksUrl };
  Object.assign(mutable, cfg);
  let server: http.Server | undefined;
  try {
    const app = createApp(createLogger('web-routes-test'));
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    Object.assign(mutable, saved);
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  }
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the web page\'s routes', () => {
  it('GET / serves the page with a strict Content-Security-Policy and the API\'s security headers', async () => {
    await withApp({}, async (base) => {
      const res = await fetch(`${base}/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('content-security-policy'), PAGE_CSP);
      assert.match(PAGE_CSP, /script-src 'self'(;|$)/);
      assert.doesNotMatch(PAGE_CSP, /unsafe-inline|unsafe-eval|\*|https?:/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      const html = await res.text();
      for (const tag of html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []) assert.match(tag, /^<script[^>]* src="\/web\/[a-z]+\.mjs"><\/script>$/i, `no inline script: ${tag}`);
      assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<style/i, 'no inline handlers or styles');
      assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'nothing from another origin');
    });
  });

  it('serves the page\'s modules and style sheet, and nothing else from the build folder', async () => {
    await withApp({}, async (base) => {
      const app = await fetch(`${base}/web/app.mjs`);
      assert.equal(app.status, 200);
      assert.match(app.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(await app.text(), /import .* from '\.\/api\.mjs'/);
      assert.equal((await fetch(`${base}/web/style.css`)).status, 200);
      for (const p of ['/web/format.test.mjs', '/web/app.d.mts', '/web/..%2Fmain.js', '/web/nope.mjs', '/web/.tsbuildinfo']) {
        assert.equal((await fetch(`${base}${p}`)).status, 404, p);
      }
    });
  });

  it('with the development secret, POST /dev/token signs a token for any valid user name', async () => {
    await withApp({ jwtSecret: DEV_JWT_SECRET, jwtJwksUrl: '' }, async (base) => {
      assert.equal((await fetch(`${base}/dev/token`)).status, 200);
      const res = await post(`${base}/dev/token`, { user: 'alice', email: 'alice@example.com' });
      assert.equal(res.status, 200);
      const { token } = (await res.json()) as { token: string };
      const claims = await verifyToken(token, secretSource(DEV_JWT_SECRET));
      assert.equal(claims.sub, 'alice');
      assert.equal(claims.email, 'alice@example.com');
      assert.ok((claims.exp ?? Infinity) - (claims.iat ?? 0) <= 24 * 3600, 'within a day');
      const bad = await post(`${base}/dev/token`, { user: 'not a user/name', email: 'a@b, c@d' });
      assert.equal(bad.status, 400);
      const body = (await bad.json()) as { error: { details: Array<{ field: string }> } };
      assert.deepEqual(body.error.details.map((d) => d.field), ['user', 'email']);
    });
  });

  it('with any other secret, or with a JWKS, there is no development sign-in: /dev/token is 404', async () => {
    for (const cfg of [{ jwtSecret: 'a-real-secret-that-is-long-enough-0123456789', jwtJwksUrl: '' }, { jwtSecret: DEV_JWT_SECRET, jwtJwksUrl: 'https://idp.invalid/jwks.json' }]) {
      await withApp(cfg, async (base) => {
        assert.equal((await fetch(`${base}/dev/token`)).status, 404);
        assert.equal((await post(`${base}/dev/token`, { user: 'alice' })).status, 404);
        assert.equal((await fetch(`${base}/`)).status, 200, 'the page itself is still served (sign-in by pasting a token)');
      });
    }
  });
});
