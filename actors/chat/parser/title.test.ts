import assert from 'node:assert/strict';
import { HOLE } from './normalize';
import { leftover, trimEdges } from './title';

const h = (n: number) => HOLE.repeat(n);

describe('titles from what is left', () => {
  it('drops the connector that introduced a removed phrase', () => {
    assert.equal(leftover(`pay rent on ${h(9)} at ${h(3)}`), 'pay rent');
    assert.equal(leftover(`send the invoice due on ${h(6)}`), 'send the invoice');
    assert.equal(leftover(`call mom in the ${h(7)}`), 'call mom');
    assert.equal(leftover(`${h(4)} and ${h(4)} buy milk`), 'buy milk');
  });

  it('keeps connectors that belong to the title', () => {
    assert.equal(leftover(`send the report to anna ${h(5)}`), 'send the report to anna');
    assert.equal(leftover('check in for the flight'), 'check in for the flight');
  });

  it('trims punctuation at both ends only', () => {
    assert.equal(trimEdges('  - buy milk, eggs!? '), 'buy milk, eggs');
    assert.equal(trimEdges('?!.,'), '');
  });
});
