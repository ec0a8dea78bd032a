import assert from 'node:assert/strict';
import { percentile, summarize } from './kit';

describe('benchmark statistics', () => {
  it('percentile is the nearest-rank value', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile(xs, 100), 100);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('summary of three runs is the median with min and max', () => {
    assert.deepEqual(summarize([30, 10, 20]), { median: 20, min: 10, max: 30 });
  });
});
