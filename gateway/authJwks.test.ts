import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { jwksSource, TokenRefused, verifyToken } from './auth';

const policy = { issuer: 'https://idp.example.com/', audience: 'todo-api', maxLifetimeSeconds: 86400, clockSkewSeconds: 60 };

describe('JWT verification against a JWKS URL (production mode)', () => {
  let server: http.Server;
  let url: string;
  let privateKey: Parameters<SignJWT['sign']>[0];
  let publicPem: string;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  after(() => server.close());

  it('accepts a token signed by a key in the set', async () => {
    const t = await new SignJWT({ email: 'a@example.com' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('auth0|123').setIssuer(policy.issuer).setAudience(policy.audience).setExpirationTime('5m').sign(privateKey);
    const p = await verifyToken(t, jwksSource(url), policy);
    assert.equal(p.sub, 'auth0|123');
  });

  it('rejects an HS256 token signed with the public key as the secret (algorithm confusion)', async () => {
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('mallory').setExpirationTime('5m').sign(new TextEncoder().encode(publicPem));
    await assert.rejects(verifyToken(t, jwksSource(url), policy));
  });

  it('rejects a token from a key that is not in the set', async () => {
    const other = await generateKeyPair('RS256');
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('mallory').setExpirationTime('5m').sign(other.privateKey);
    await assert.rejects(verifyToken(t, jwksSource(url), policy));
  });

  it('rejects a token without iss or aud, even if no issuer or audience were configured', async () => {
    for (const set of [(j: SignJWT) => j.setAudience('todo-api'), (j: SignJWT) => j.setIssuer('https://idp.example.com/')]) {
      const t = await set(new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('auth0|123').setExpirationTime('5m')).sign(privateKey);
      await assert.rejects(verifyToken(t, jwksSource(url), { ...policy, issuer: undefined, audience: undefined }), (e: Error) => e instanceof TokenRefused && /no (iss|aud) claim/.test(e.message));
    }
  });

  it("rejects a token for another application of the same identity provider (another aud)", async () => {
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('auth0|123').setIssuer(policy.issuer).setAudience('another-app').setExpirationTime('5m').sign(privateKey);
    await assert.rejects(verifyToken(t, jwksSource(url), policy), (e: Error) => e instanceof TokenRefused && /audience/.test(e.message));
  });
});
