/**
 * Tokens an attacker can mint with the right key but outside the policy (gateway/security/README.md),
 * against the real stack: no exp, ten years of life, an iat from the future, an email claim that
 * names several mailboxes or a display name. Each is a 401 with the reason, on the REST API and
 * on the device stream; and an address the identity provider has not verified is never mailed.
 */
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { config } from '../../common/config';
import { createPool } from '../../common/db/pool';
import { api, eventually, gatewayUrl, tokenFor, uniqueUser } from '../../stack/testSupport';

const key = new TextEncoder().encode(config.jwtSecret);
const now = () => Math.floor(Date.now() / 1000);
const mint = (sub: string, claims: Record<string, unknown>, set: (j: SignJWT) => SignJWT) =>
  set(new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub)).sign(key);

/** The status the gateway answers a WebSocket upgrade with (101 if it lets the socket open). */
function upgradeStatus(token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${gatewayUrl().replace('http', 'ws')}/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
}

describe('attacker: tokens outside the policy', function () {
  this.timeout(60_000);
  const sub = uniqueUser('mallory');
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['without exp', () => mint(sub, {}, (j) => j.setIssuedAt()), /no exp claim/],
    ['valid for ten years', () => mint(sub, {}, (j) => j.setIssuedAt().setExpirationTime(now() + 10 * 365 * 86400)), /lives longer than the 86400 s allowed/],
    ['valid for ten years, without iat', () => mint(sub, {}, (j) => j.setExpirationTime(now() + 10 * 365 * 86400)), /lives longer/],
    ['issued an hour in the future', () => mint(sub, {}, (j) => j.setIssuedAt(now() + 3600).setExpirationTime(now() + 7200)), /issued in the future/],
    ['with a list of addresses as email', () => mint(sub, { email: 'me@example.com, victim@example.com' }, (j) => j.setIssuedAt().setExpirationTime('1h')), /one mailbox/],
    ['with a display name in email', () => mint(sub, { email: 'Boss <victim@example.com>' }, (j) => j.setIssuedAt().setExpirationTime('1h')), /one mailbox/],
    ['with a header injection in email', () => mint(sub, { email: 'me@example.com\r\nBcc: victim@example.com' }, (j) => j.setIssuedAt().setExpirationTime('1h')), /one mailbox/],
  ];

  for (const [what, token, reason] of cases) {
    it(`a token ${what} is a 401 with the reason, on the REST API and the device stream`, async () => {
      const t = await token();
      const res = await api('GET', '/v1/tasks', { token: t });
      assert.equal(res.status, 401, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'unauthenticated');
      assert.match(res.body.error.message, reason);
      const up = await upgradeStatus(t);
      assert.equal(up.status, 401, 'the stream refuses it too');
      assert.match(JSON.parse(up.body).error.message, reason);
    });
  }

  it('a token within the policy still works (npm run token mints one)', async () => {
    const res = await api('GET', '/v1/tasks', { token: await tokenFor(sub) });
    assert.equal(res.status, 200);
  });

  describe('an unverified email address', () => {
    let pool: Pool;
    before(() => {
      pool = createPool('token-policy-test');
    });
    after(() => pool.end());

    it('is never mailed: with email_verified false the reminder fires without an address and the victim gets nothing', async () => {
      const attacker = uniqueUser('unverified');
      const victim = `${uniqueUser('victim')}@example.com`;
      const token = await tokenFor(attacker, victim, { email_verified: false });
      const created = await api('POST', '/v1/tasks', { token, body: { title: 'spam', reminders: [{ id: 'r', at: new Date(Date.now() + 2000).toISOString() }] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const row = await eventually(async () => (await pool.query(
        "SELECT status, recipient, last_error FROM notifications WHERE user_id = $1 AND status IN ('sent', 'failed')", [attacker],
      )).rows[0], 30_000, 'the reminder to be handled by the notification subscriber');
      assert.equal(row.recipient, null);
      assert.equal(row.status, 'failed');
      const sink = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(victim)}`);
      assert.deepEqual(await sink.json(), [], 'nothing reached the victim');
    });
  });
});
