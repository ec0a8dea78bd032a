import assert from 'node:assert/strict';
import { withinBytes } from './outboxPublisher';

describe('outbox batches', () => {
  const row = (n: number) => ({ json: 'x'.repeat(n) });

  it('take the longest prefix of rows that fits in the byte budget', () => {
    const rows = [row(400), row(400), row(400)];
    assert.equal(withinBytes(rows, 1000).length, 2);
    assert.equal(withinBytes(rows, 1200).length, 3);
  });

  it('always take the first row, however large, so nothing waits forever behind it', () => {
    assert.equal(withinBytes([row(5000), row(10)], 1000).length, 1);
    assert.deepEqual(withinBytes([], 1000), []);
  });
});
