import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { config } from '../common/config';
import { callerFrom, signDevToken, verifyToken } from './auth';
import { ApiError } from './errors';

const secret = new TextEncoder().encode(config.jwtSecret);

describe('JWT verification', () => {
  it('accepts a development token and reads sub and email from it', async () => {
    const p = await verifyToken(await signDevToken('alice', 'alice@example.com'));
    assert.equal(p.sub, 'alice');
    assert.equal(p.email, 'alice@example.com');
  });

  it('rejects alg none, a bad signature and an expired token', async () => {
    const none = new UnsecuredJWT({ sub: 'alice' }).setIssuedAt().setExpirationTime('1h').encode();
    await assert.rejects(verifyToken(none));
    const forged = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('another-secret'));
    await assert.rejects(verifyToken(forged));
    const expired = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret);
    await assert.rejects(verifyToken(expired), (e: { code?: string }) => e.code === 'ERR_JWT_EXPIRED');
  });

  it('rejects an HS512 token even with the right secret (only HS256 is allowed)', async () => {
    const t = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS512' }).setExpirationTime('1h').sign(secret);
    await assert.rejects(verifyToken(t));
  });
});

describe('the caller comes from the token', () => {
  it('is the sub, with the zoneinfo claim before the X-Timezone header, UTC by default', () => {
    assert.deepEqual(callerFrom({ sub: 'bob', zoneinfo: 'Europe/Paris' }, 'Asia/Tokyo'), { userId: 'bob', email: undefined, timezone: 'Europe/Paris', zoneGiven: true, roles: [] });
    assert.equal(callerFrom({ sub: 'bob' }, 'Asia/Tokyo').timezone, 'Asia/Tokyo');
    assert.deepEqual([callerFrom({ sub: 'bob' }, undefined).timezone, callerFrom({ sub: 'bob' }, undefined).zoneGiven], ['UTC', false], 'UTC is only a default');
  });

  it('refuses a token without a usable sub, and names a bad zone', () => {
    for (const sub of [undefined, '', 'a/b', 'x'.repeat(129), 'with space']) {
      assert.throws(() => callerFrom({ sub }, undefined), (e: ApiError) => e.status === 401);
    }
    assert.throws(() => callerFrom({ sub: 'bob' }, 'Nowhere/Land'), (e: ApiError) => e.status === 400 && e.details[0].field === 'X-Timezone');
  });

  it('carries the roles claim, as an array or a space-separated string; anything else is no role', () => {
    assert.deepEqual(callerFrom({ sub: 'op', roles: ['operator', 7, 'x'] }, undefined).roles, ['operator', 'x']);
    assert.deepEqual(callerFrom({ sub: 'op', roles: 'reader operator' }, undefined).roles, ['reader', 'operator']);
    assert.deepEqual(callerFrom({ sub: 'op', roles: { operator: true } }, undefined).roles, []);
    assert.deepEqual(callerFrom({ sub: 'op', role: 'operator' }, undefined).roles, [], 'only the roles claim counts');
  });
});
