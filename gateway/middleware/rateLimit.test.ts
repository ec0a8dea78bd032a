import assert from 'node:assert/strict';
import { TokenBuckets } from './rateLimit';

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
});
