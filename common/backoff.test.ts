import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRetryPolicy, DEFAULT_RETRY_POLICY, maxTries, retryCeilingMs, retryDelayMs } from './backoff';

describe('notification retry backoff', () => {
  it('has ceilings doubling from 1 s (1, 2, 4, …) and never above the 512 s cap', () => {
    const ceilings = Array.from({ length: 12 }, (_, i) => retryCeilingMs(i + 1, DEFAULT_RETRY_POLICY) / 1000);
    assert.deepEqual(ceilings, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512]);
    assert.equal(retryCeilingMs(5000, DEFAULT_RETRY_POLICY), 512_000);
  });

  it('retries 10 times by default, after waits with ceilings 1 s … 512 s (the cap is reached), then gives up: 11 tries', () => {
    const ceilingOfEachWait: number[] = [];
    for (let failed = 1; ; failed++) {
      const d = retryDelayMs(failed, DEFAULT_RETRY_POLICY, () => 0.9999999);
      if (d === undefined) break;
      ceilingOfEachWait.push(Math.round(d / 1000));
    }
    assert.deepEqual(ceilingOfEachWait, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    assert.equal(maxTries(DEFAULT_RETRY_POLICY), 11);
    assert.equal(retryDelayMs(10, DEFAULT_RETRY_POLICY, () => 0.5), 256_000, 'the 10th retry waits up to 512 s');
    assert.equal(retryDelayMs(11, DEFAULT_RETRY_POLICY, () => 0.5), undefined, 'no 12th try');
  });

  it('uses full jitter: every delay lies in [0, ceiling], and both ends are reachable', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failed, r) => {
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

  it('follows a configured base, cap and number of retries; 0 retries means one try', () => {
    const p = { baseMs: 100, capMs: 250, maxRetries: 3 };
    assert.deepEqual([1, 2, 3].map((k) => retryCeilingMs(k, p)), [100, 200, 250]);
    assert.equal(retryDelayMs(3, p, () => 0.5), 125);
    assert.equal(retryDelayMs(4, p, () => 0.5), undefined);
    assert.equal(retryDelayMs(1, { ...p, maxRetries: 0 }), undefined);
  });

  it('refuses a policy that cannot work', () => {
    assert.throws(() => checkRetryPolicy({ baseMs: 0, capMs: 512_000, maxRetries: 10 }), /NOTIFY_RETRY_BASE_MS/);
    assert.throws(() => checkRetryPolicy({ baseMs: 1000, capMs: 10, maxRetries: 3 }), /NOTIFY_RETRY_CAP_MS/);
    assert.throws(() => retryCeilingMs(0, DEFAULT_RETRY_POLICY), RangeError);
  });
});
