import assert from 'node:assert/strict';
import { partitionLag } from './consumerLag';

describe('consumer lag of a partition', () => {
  it('is the high watermark minus the committed offset', () => {
    assert.equal(partitionLag('120', '0', '100'), 20);
    assert.equal(partitionLag('120', '0', '120'), 0);
  });

  it('counts from the low watermark when the group has committed nothing', () => {
    assert.equal(partitionLag('120', '30', '-1'), 90);
  });

  it('is never negative, even when retention moved the low watermark past a stale commit', () => {
    assert.equal(partitionLag('10', '10', '12'), 0);
  });
});
