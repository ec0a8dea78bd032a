import assert from 'node:assert/strict';
import { slope, windows } from './soak';

describe('the soak looks for growth window by window', () => {
  it('fits a least-squares slope', () => {
    assert.equal(slope([0, 1, 2, 3], [10, 12, 14, 16]), 2);
    assert.equal(slope([0, 1, 2, 3], [5, 5, 5, 5]), 0);
    assert.ok(Math.abs(slope([0, 1, 2], [1, 0, 2]) - 0.5) < 1e-12);
    assert.ok(Number.isNaN(slope([1], [1])));
  });

  it('cuts the samples into windows of equal time', () => {
    const s = [0, 5, 10, 15, 20, 25, 29].map((t) => ({ t }));
    assert.deepEqual(windows(s, 3, 30).map((w) => w.map((x) => x.t)), [[0, 5], [10, 15], [20, 25, 29]]);
  });
});
