import assert from 'node:assert/strict';
import type { JWTPayload } from 'jose';
import { VerifiedTokens } from './verifiedTokens';

describe('the tokens the gateway verified lately', () => {
  const t0 = Date.UTC(2026, 11, 3, 12, 0, 0);
  const payload = (expInS: number): JWTPayload => ({ sub: 'alice', exp: Math.floor(t0 / 1000) + expInS });

  /** A cache on a clock the test moves, and a verifier that counts its calls. */
  function counted() {
    const clock = { now: t0 };
    const counter = { calls: 0 };
    const cache = new VerifiedTokens(60_000, 100, () => clock.now);
    const verify = async () => {
      counter.calls++;
      return payload(3600);
    };
    return { clock, counter, cache, verify };
  }

  it('verify a token once while it is remembered', async () => {
    const { clock, counter, cache, verify } = counted();
    await cache.verified('tok', verify);
    clock.now += 30_000;
    assert.equal((await cache.verified('tok', verify)).sub, 'alice');
    assert.equal(counter.calls, 1);
  });

  it('verify it again once the time to live has passed', async () => {
    const { clock, counter, cache, verify } = counted();
    await cache.verified('tok', verify);
    clock.now += 60_000;
    await cache.verified('tok', verify);
    assert.equal(counter.calls, 2);
  });

  it('never answer for a token past its exp: the verifier decides (and refuses it)', async () => {
    let now = t0;
    const cache = new VerifiedTokens(60_000, 100, () => now);
    await cache.verified('tok', async () => payload(10));
    now += 10_000; // the second of exp: jose refuses it
    await assert.rejects(cache.verified('tok', async () => {
      throw new Error('the token has expired');
    }), /expired/);
  });

  it('never remember a refusal', async () => {
    const cache = new VerifiedTokens(60_000, 100, () => t0);
    await assert.rejects(cache.verified('bad', async () => {
      throw new Error('the token is not valid');
    }));
    assert.equal(cache.get('bad'), undefined);
  });

  it('key by the whole token: another token text is verified afresh', async () => {
    const cache = new VerifiedTokens(60_000, 100, () => t0);
    await cache.verified('tok', async () => payload(3600));
    let called = false;
    await cache.verified('tok2', async () => {
      called = true;
      return payload(3600);
    });
    assert.ok(called);
  });

  it('keep at most maxEntries, forgetting the oldest first', async () => {
    const cache = new VerifiedTokens(60_000, 3, () => t0);
    for (const t of ['a', 'b', 'c', 'd']) await cache.verified(t, async () => payload(3600));
    assert.equal(cache.size, 3);
    assert.equal(cache.get('a'), undefined);
    assert.ok(cache.get('d'));
  });
});
