import assert from 'node:assert/strict';
import { eventsBenchOptions } from './eventsBench';

describe('events benchmark options', () => {
  it('default to the goal\'s and the seed\'s rates, both parts, three runs', () => {
    const o = eventsBenchOptions(['--events']);
    assert.deepEqual([o.rates, o.part, o.runs, o.seconds], [[10_000, 1_000], 'both', 3, 15]);
    assert.equal(eventsBenchOptions(['--events', '--quick']).seconds, 5);
  });

  it('take rates as a comma-separated list and refuse what is not a positive number', () => {
    assert.deepEqual(eventsBenchOptions(['--events', '--events-rate', '5000,500']).rates, [5000, 500]);
    assert.throws(() => eventsBenchOptions(['--events', '--events-rate', 'fast']), /positive numbers/);
    assert.throws(() => eventsBenchOptions(['--events', '--runs', '0']), /positive number/);
    assert.equal(eventsBenchOptions(['--events', '--only-device']).part, 'b');
  });
});
