import assert from 'node:assert/strict';
import { missedThresholds, stat, type K6Summary } from './k6Run';

const summary: K6Summary = {
  metrics: {
    'http_req_duration{endpoint:create}': { type: 'trend', values: { med: 12, 'p(99)': 40, count: 10 }, thresholds: { 'p(99)<=25': { ok: false }, 'max>=0': { ok: true } } },
    'http_req_duration{endpoint:complete}': { type: 'trend', values: { med: 0, 'p(99)': 0, count: 0 } },
    http_reqs: { type: 'counter', values: { count: 100, rate: 50 }, thresholds: { 'rate>100': { ok: false } } },
  },
};

describe('reading a k6 summary', () => {
  it('takes a stat of a tagged submetric', () => {
    assert.equal(stat(summary, 'http_req_duration{endpoint:create}', 'p(99)'), 40);
    assert.equal(stat(summary, 'http_reqs', 'rate'), 50);
  });

  it('gives NaN, not k6\'s 0, for a trend without samples, and for a metric not there', () => {
    assert.ok(Number.isNaN(stat(summary, 'http_req_duration{endpoint:complete}', 'p(99)')));
    assert.equal(stat(summary, 'http_req_duration{endpoint:complete}', 'count'), 0);
    assert.ok(Number.isNaN(stat(summary, 'nothing', 'count')));
  });

  it('lists the thresholds that were missed', () => {
    assert.deepEqual(missedThresholds(summary).sort(), ['http_req_duration{endpoint:create}: p(99)<=25', 'http_reqs: rate>100']);
  });
});
