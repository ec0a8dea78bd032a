import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRetryPolicy, DEFAULT_RETRY_POLICY, retryCeilingMs, retryDelayMs } from './backoff';

describe('notification retry backoff', () => {
  it('has ceilings doubling from 1 s (1, 2, 4, …) and never above the 512 s cap', () => {
    const ceilings = Array.from({ length: 12 }, (_, i) => retryCeilingMs(i + 1, DEFAULT_RETRY_POLICY) / 1000);
    assert.deepEqual(ceilings, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512]);
    assert.equal(retryCeilingMs(5000, DEFAULT_RETRY_POLICY), 512_000);
  });

  it('allows 10 tries by default: a delay after each of the first 9 failures, none after the 10th', () => {
    const delays = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, DEFAULT_RETRY_POLICY, () => 0.5));
    assert.equal(delays.filter((d) => d !== undefined).length, 9);
    assert.equal(delays[8], 128_000);
    assert.equal(delays[9], undefined);
  });

  it('uses full jitter: every delay lies in [0, ceiling], and both ends are reachable', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failed, r) => {
      const d = retryDelayMs(failed, DEFAULT_RETRY_POLICY, () => r) as number;
      return Number.isInteger(d) && d >= 0 && d <= retryCeilingMs(failed, DEFAULT_RETRY_POLICY);
    }));
    assert.equal(retryDelayMs(4, DEFAULT_RETRY_POLICY, () => 0), 0);
    assert.equal(retryDelayMs(4, DEFAULT_RETRY_POLICY, () => 0.9999999), 8000);
  });

  it('spreads the delays over the window instead of bunching them (the mean is near half the ceiling)', () => {
    const n = 4000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += retryDelayMs(6, DEFAULT_RETRY_POLICY) as number;
    const mean = sum / n / retryCeilingMs(6, DEFAULT_RETRY_POLICY);
    assert.ok(mean > 0.45 && mean < 0.55, `mean fraction ${mean}`);
  });

  it('follows a configured base, cap and number of tries', () => {
    const p = { baseMs: 100, capMs: 250, maxAttempts: 4 };
    assert.deepEqual([1, 2, 3].map((k) => retryCeilingMs(k, p)), [100, 200, 250]);
    assert.equal(retryDelayMs(3, p, () => 0.5), 125);
    assert.equal(retryDelayMs(4, p, () => 0.5), undefined);
  });

  it('refuses a policy that cannot work', () => {
    assert.throws(() => checkRetryPolicy({ baseMs: 1000, capMs: 512_000, maxAttempts: 0 }), /NOTIFY_MAX_ATTEMPTS/);
    assert.throws(() => checkRetryPolicy({ baseMs: 1000, capMs: 10, maxAttempts: 3 }), /NOTIFY_RETRY_CAP_MS/);
    assert.throws(() => retryCeilingMs(0, DEFAULT_RETRY_POLICY), RangeError);
  });
});
