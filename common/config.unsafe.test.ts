import assert from 'node:assert/strict';
import { DEV_JWT_SECRET, unsafeSettings } from './config';

const base = { nodeEnv: 'production', jwtSecret: 'k'.repeat(32), jwtJwksUrl: '', jwtIssuer: '', jwtAudience: '' };

describe('settings no service starts with', () => {
  it('in production: a JWT_SECRET that is the default, or shorter than 32 bytes (counted in UTF-8 bytes)', () => {
    assert.deepEqual(unsafeSettings(base), []);
    assert.match(unsafeSettings({ ...base, jwtSecret: DEV_JWT_SECRET })[0], /^JWT_SECRET is unset or the public development default/);
    assert.match(unsafeSettings({ ...base, jwtSecret: 'x' })[0], /^JWT_SECRET is 1 bytes/);
    assert.deepEqual(unsafeSettings({ ...base, jwtSecret: 'é'.repeat(16) }), [], '16 × 2 bytes');
  });

  it('outside production the development secret is fine', () => {
    assert.deepEqual(unsafeSettings({ ...base, nodeEnv: '', jwtSecret: DEV_JWT_SECRET }), []);
  });

  it('anywhere: a JWKS without the issuer and the audience its tokens must carry', () => {
    const jwks = { ...base, nodeEnv: '', jwtSecret: DEV_JWT_SECRET, jwtJwksUrl: 'https://idp.example.com/jwks' };
    assert.equal(unsafeSettings(jwks).length, 2);
    assert.deepEqual(unsafeSettings({ ...jwks, jwtIssuer: 'https://idp.example.com/', jwtAudience: 'todo' }), []);
  });
});
