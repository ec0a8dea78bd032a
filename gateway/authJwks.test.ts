import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { jwksSource, verifyToken } from './auth';

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
    const t = await new SignJWT({ email: 'a@example.com' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('auth0|123').setExpirationTime('5m').sign(privateKey);
    const p = await verifyToken(t, jwksSource(url));
    assert.equal(p.sub, 'auth0|123');
  });

  it('rejects an HS256 token signed with the public key as the secret (algorithm confusion)', async () => {
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('mallory').setExpirationTime('5m').sign(new TextEncoder().encode(publicPem));
    await assert.rejects(verifyToken(t, jwksSource(url)));
  });

  it('rejects a token from a key that is not in the set', async () => {
    const other = await generateKeyPair('RS256');
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('mallory').setExpirationTime('5m').sign(other.privateKey);
    await assert.rejects(verifyToken(t, jwksSource(url)));
  });
});
