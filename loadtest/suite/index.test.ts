import assert from 'node:assert/strict';
import { config } from '../../common/config';
import { BENCH_TRACING_SAMPLING_RATE, benchTracingSamplingRate, parseSuiteArgs, PARTS } from './index';

describe('npm run bench options', () => {
  it('runs every part but the soak by default', () => {
    const o = parseSuiteArgs([]);
    assert.deepEqual([...o.parts].sort(), PARTS.filter((p) => p !== 'soak').sort());
    assert.equal(o.quick, false);
  });

  it('adds the 30-minute soak only when asked, and its length can be changed', () => {
    assert.ok(parseSuiteArgs(['--soak']).parts.has('soak'));
    assert.equal(parseSuiteArgs(['--soak']).soakMinutes, 30);
    assert.equal(parseSuiteArgs(['--soak', '--soak-minutes', '5']).soakMinutes, 5);
    assert.throws(() => parseSuiteArgs(['--soak', '--soak-minutes', 'x']), /--soak-minutes/);
  });

  it('--quick leaves out the restarts for 2 actor hosts and the node benches, and shortens the soak', () => {
    const o = parseSuiteArgs(['--quick']);
    assert.equal(o.parts.has('scaling'), false);
    assert.equal(o.parts.has('node'), false);
    assert.ok(o.parts.has('soak') && o.soakMinutes < 1);
  });

  it('--peer runs the peer part alone, and the whole suite includes it', () => {
    assert.deepEqual([...parseSuiteArgs(['--peer']).parts], ['peer']);
    assert.deepEqual([...parseSuiteArgs(['--peer', '--quick']).parts], ['peer']);
    assert.ok(parseSuiteArgs([]).parts.has('peer'));
  });

  it('--only runs the parts named, and names the parts when one is unknown', () => {
    assert.deepEqual([...parseSuiteArgs(['--only', 'mixed,storm']).parts], ['mixed', 'storm']);
    assert.throws(() => parseSuiteArgs(['--only', 'mixed,nope']), /unknown part nope/);
  });
});

describe('the tracing the suite measures with', () => {
  it('is the chart\'s sampling (0.1 of new requests) unless the caller set TRACING_SAMPLING_RATE', () => {
    const before = config.tracingSamplingRate;
    try {
      const env: NodeJS.ProcessEnv = {};
      assert.equal(benchTracingSamplingRate(env), BENCH_TRACING_SAMPLING_RATE);
      assert.equal(env.TRACING_SAMPLING_RATE, '0.1');
      config.tracingSamplingRate = 1;
      assert.equal(benchTracingSamplingRate({ TRACING_SAMPLING_RATE: '1' }), 1);
    } finally {
      config.tracingSamplingRate = before;
    }
  });
});
