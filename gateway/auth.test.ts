import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { config } from '../common/config';
import { callerFrom, signDevToken, TokenRefused, verifyToken } from './auth';
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
    await assert.rejects(verifyToken(expired), (e: Error) => e instanceof TokenRefused && e.message === 'the token has expired');
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

describe('token policy', () => {
  const policy = { maxLifetimeSeconds: 24 * 3600, clockSkewSeconds: 60 };
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, set: (j: SignJWT) => SignJWT = (j) => j) =>
    set(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('alice')).sign(secret);
  const refusedWith = (re: RegExp) => (e: Error) => e instanceof TokenRefused && re.test(e.message);

  it('refuses a token without exp', async () => {
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuedAt()), undefined, policy), refusedWith(/no exp claim/));
  });

  it('refuses a token that lives longer than the maximum, with or without iat', async () => {
    const tenYears = now() + 10 * 365 * 24 * 3600;
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuedAt().setExpirationTime(tenYears)), undefined, policy), refusedWith(/lives longer than the 86400 s/));
    await assert.rejects(verifyToken(await sign({}, (j) => j.setExpirationTime(tenYears)), undefined, policy), refusedWith(/lives longer/));
    // An old iat with a far exp is a long lifetime too, even if little of it is left.
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuedAt(now() - 30 * 3600).setExpirationTime(now() + 3600)), undefined, policy), refusedWith(/lives longer/));
    await verifyToken(await sign({}, (j) => j.setIssuedAt().setExpirationTime(now() + 24 * 3600)), undefined, policy);
  });

  it('refuses an iat in the future beyond the clock skew, and accepts one within it', async () => {
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuedAt(now() + 600).setExpirationTime(now() + 3600)), undefined, policy), refusedWith(/issued in the future/));
    await verifyToken(await sign({}, (j) => j.setIssuedAt(now() + 30).setExpirationTime(now() + 3600)), undefined, policy);
  });

  it('refuses a wrong or missing iss and aud when they are configured', async () => {
    const strict = { ...policy, issuer: 'https://idp.example.com/', audience: 'todo-api' };
    const good = await sign({}, (j) => j.setIssuer('https://idp.example.com/').setAudience('todo-api').setExpirationTime('1h'));
    await verifyToken(good, undefined, strict);
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuer('https://evil.example.com/').setAudience('todo-api').setExpirationTime('1h')), undefined, strict), refusedWith(/issuer/));
    await assert.rejects(verifyToken(await sign({}, (j) => j.setIssuer('https://idp.example.com/').setAudience('another-app').setExpirationTime('1h')), undefined, strict), refusedWith(/audience/));
    await assert.rejects(verifyToken(await sign({}, (j) => j.setAudience('todo-api').setExpirationTime('1h')), undefined, strict), refusedWith(/no iss claim/));
  });

  it('a development token from signDevToken stays within the maximum lifetime', async () => {
    const p = await verifyToken(await signDevToken('alice', undefined, 10 * 365 * 24 * 3600));
    assert.ok((p.exp as number) - (p.iat as number) <= config.jwtMaxLifetimeSeconds);
  });
});

describe('the email claim', () => {
  it('must be one mailbox: a list, a display name or a non-string is a 401', () => {
    for (const email of ['a@x.com, b@y.com', 'a@x.com;b@y.com', 'Anna <a@x.com>', '"a" a@x.com', 'a@x.com\r\nBcc: b@y.com', 42, ['a@x.com']]) {
      assert.throws(() => callerFrom({ sub: 'bob', email }, undefined), (e: ApiError) => e.status === 401 && /one mailbox/.test(e.message), String(email));
    }
    assert.equal(callerFrom({ sub: 'bob', email: 'bob@example.com' }, undefined).email, 'bob@example.com');
  });

  it('is not used when email_verified is present and false', () => {
    assert.equal(callerFrom({ sub: 'bob', email: 'bob@example.com', email_verified: false }, undefined).email, undefined);
    assert.equal(callerFrom({ sub: 'bob', email: 'bob@example.com', email_verified: 'false' }, undefined).email, undefined);
    assert.equal(callerFrom({ sub: 'bob', email: 'bob@example.com', email_verified: true }, undefined).email, 'bob@example.com');
  });
});
