import assert from 'node:assert/strict';
import { selectedNames } from './promqlNames';

describe('metric names a PromQL expression selects', () => {
  const names = (e: string) => selectedNames(e).names;

  it('finds a bare selector and one with matchers', () => {
    assert.deepEqual(names('up'), ['up']);
    assert.deepEqual(names('http_request_duration_seconds_count{route!~"/healthz|/readyz", status_code=~"5.."}'), ['http_request_duration_seconds_count']);
  });

  it('skips functions, aggregations with by/without, durations, numbers and strings', () => {
    assert.deepEqual(
      names('histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="x"}[5m])))'),
      ['http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(names('sum without (instance) (rate(a_total[1h30m] offset 5m)) > 1e-3'), ['a_total']);
    assert.deepEqual(names('SUM BY (group) (x) / ON (group) GROUP_LEFT (topic) y'), ['x', 'y']);
    assert.deepEqual(names('count_values("version", build_info)'), ['build_info']);
    assert.deepEqual(names('topk(5, max_over_time(g[10m:1m]))'), ['g']);
  });

  it('reads label_replace\'s strings as strings, not names', () => {
    assert.deepEqual(
      names('label_replace(rate(dapr_http_client_completed_count{path=~".*/method/.*"}[5m]), "actor_method", "$1", "path", ".*/method/([^/]+).*")'),
      ['dapr_http_client_completed_count'],
    );
  });

  it('sees both sides of binary operators and keeps each name once', () => {
    assert.deepEqual(names('a_total / (a_total + b_total) > 0.05 and on() c unless d or bool e'), ['a_total', 'b_total', 'c', 'd', 'e']);
  });

  it('takes the name from an equality __name__ matcher and reports a regex one as unresolved', () => {
    assert.deepEqual(selectedNames('{__name__="process_cpu_seconds_total", job="x"}'), { names: ['process_cpu_seconds_total'], unresolved: [] });
    assert.deepEqual(selectedNames('count({__name__=~"dapr_.*"})'), { names: [], unresolved: ['{__name__=~"dapr_.*"}'] });
  });

  it('ignores comments and the @ modifier\'s start()/end()', () => {
    assert.deepEqual(names('rate(x_total[5m] @ end()) # not_a_metric here\n + y'), ['x_total', 'y']);
  });
});
