import assert from 'node:assert/strict';
import fc from 'fast-check';
import { perPodLimit, TokenBuckets } from './rateLimit';

describe('per-user token buckets', () => {
  it('allow a burst, then refuse with the wait until the next token', () => {
    const b = new TokenBuckets(2, 3);
    const t = 1_000_000;
    assert.deepEqual([b.take('u', t), b.take('u', t), b.take('u', t)], [0, 0, 0]);
    assert.equal(b.take('u', t), 0.5);
    assert.equal(b.take('u', t + 500), 0, 'half a second at 2/s gives one token back');
    assert.ok(b.take('u', t + 500) > 0);
  });

  it('keep users apart', () => {
    const b = new TokenBuckets(1, 1);
    assert.equal(b.take('alice', 0), 0);
    assert.ok(b.take('alice', 0) > 0);
    assert.equal(b.take('bob', 0), 0);
  });

  it('never hold more than maxKeys buckets', () => {
    const b = new TokenBuckets(1, 5, 100);
    for (let i = 0; i < 1000; i++) b.take(`user-${i}`, i);
    assert.ok(b.size <= 100, `size ${b.size}`);
  });

  it('split over several gateways never let one user through more than the configured limit, however the requests spread', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 200 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3000 })), { maxLength: 400 }),
      (gateways, perSecond, burst, requests) => {
        const share = perPodLimit(perSecond, burst, gateways);
        const pods = Array.from({ length: gateways }, () => new TokenBuckets(share.perSecond, share.burst));
        const sorted = [...requests].sort((a, b) => a[1] - b[1]);
        let allowed = 0;
        for (const [pod, at] of sorted) if (pods[pod % gateways].take('u', 1_000_000 + at) === 0) allowed++;
        const span = sorted.length ? (sorted[sorted.length - 1][1] - sorted[0][1]) / 1000 : 0;
        return allowed <= Math.max(burst, gateways) + perSecond * span + 1e-9;
      },
    ));
    assert.deepEqual(perPodLimit(50, 100, 2), { perSecond: 25, burst: 50 });
    assert.deepEqual(perPodLimit(50, 100, 1), { perSecond: 50, burst: 100 });
  });
});
