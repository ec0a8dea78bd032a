import assert from 'node:assert/strict';
import { HOLE } from './normalize';
import { extractPriority, priorityOf } from './priority';

const read = (text: string) => {
  const r = extractPriority(text);
  return { priority: r.priority, rest: r.work.split(HOLE).join('').replace(/\s+/g, ' ').trim() };
};

describe('priorities', () => {
  it('maps p1–p4 to urgent, high, medium, low', () => {
    assert.deepEqual(['p1', 'P2', 'p3', 'p4'].map(priorityOf), ['urgent', 'high', 'medium', 'low']);
    assert.equal(priorityOf('p5'), undefined);
  });

  it('reads the words and phrases people use, and takes them out of the title', () => {
    assert.deepEqual(read('pay taxes p2'), { priority: 'high', rest: 'pay taxes' });
    assert.deepEqual(read('pay taxes high priority'), { priority: 'high', rest: 'pay taxes' });
    assert.deepEqual(read('pay taxes with low priority'), { priority: 'low', rest: 'pay taxes' });
    assert.deepEqual(read('priority: medium pay taxes'), { priority: 'medium', rest: 'pay taxes' });
    assert.deepEqual(read('pay taxes urgent'), { priority: 'urgent', rest: 'pay taxes' });
    assert.deepEqual(read('pay taxes asap'), { priority: 'urgent', rest: 'pay taxes' });
    assert.deepEqual(read('pay taxes top priority'), { priority: 'urgent', rest: 'pay taxes' });
  });

  it('keeps the first one said', () => {
    assert.equal(read('p3 pay taxes urgent').priority, 'medium');
  });

  it('does not read "high" or "p2" inside other words', () => {
    for (const text of ['high school reunion', 'buy mp3 player', 'fix p2p sync', 'lowkey party', 'medium rare steak']) assert.equal(read(text).priority, undefined, text);
  });
});
