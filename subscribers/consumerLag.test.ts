import assert from 'node:assert/strict';
import { partitionHealth, partitionLag } from './consumerLag';

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

describe('partition health from the cluster metadata', () => {
  it('counts a partition without a leader as offline and one with fewer in-sync replicas than replicas as under-replicated', () => {
    assert.deepEqual(partitionHealth([
      { leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
      { leader: -1, replicas: [1, 2, 3], isr: [] },
      { leader: 2, replicas: [1, 2, 3], isr: [2, 3] },
    ]), { offline: 1, underReplicated: 2 });
  });

  it('finds nothing wrong with healthy partitions', () => {
    assert.deepEqual(partitionHealth([{ leader: 0, replicas: [0], isr: [0] }]), { offline: 0, underReplicated: 0 });
  });
});
