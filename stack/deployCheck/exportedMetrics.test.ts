import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths';
import { EXPORTED_METRICS_FILE, parseExportedMetrics, problemWithName, requiredSamples, sampleNames } from './exportedMetrics';

describe('the list of exported metrics', () => {
  const list = parseExportedMetrics([
    '# a comment',
    'http_request_duration_seconds   histogram  gateway',
    'events_published_total          counter    actors   -- with a note',
    'db_pool_connections             gauge      actors,subscribers',
    'rpc_seconds                     summary    daprd-actors',
    'kube_pod_container_status_restarts_total counter external -- kube-state-metrics: restarts',
    '',
  ].join('\n'));

  it('reads name, type and sources, and external metrics with their note', () => {
    assert.deepEqual(list.problems, []);
    assert.deepEqual(list.metrics.get('db_pool_connections')?.sources, ['actors', 'subscribers']);
    assert.equal(list.metrics.get('kube_pod_container_status_restarts_total')?.external, 'kube-state-metrics: restarts');
    assert.deepEqual(list.metrics.get('kube_pod_container_status_restarts_total')?.sources, []);
  });

  it('reports unknown types and sources, a missing note on an external metric, duplicates and short lines, by line', () => {
    const { problems } = parseExportedMetrics('a_total countr gateway\nb gauge nginx\nc gauge external\na_total counter gateway\nd gauge');
    assert.deepEqual(problems.map((p) => p.line), [1, 2, 3, 4, 5]);
    assert.match(problems[0].message, /type must be one of/);
    assert.match(problems[1].message, /unknown source nginx/);
    assert.match(problems[2].message, /needs a note/);
    assert.match(problems[3].message, /listed twice/);
    assert.match(problems[4].message, /expected "name type sources/);
  });

  it('accepts listed names and the _bucket/_sum/_count series of a histogram, and rejects the rest', () => {
    const ok = (n: string, ext = false) => problemWithName(list.metrics, n, ext);
    assert.equal(ok('events_published_total'), undefined);
    for (const s of ['_bucket', '_sum', '_count']) assert.equal(ok(`http_request_duration_seconds${s}`), undefined);
    assert.match(ok('http_request_duration_seconds')!, /is a histogram/);
    assert.equal(ok('rpc_seconds'), undefined);
    assert.equal(ok('rpc_seconds_count'), undefined);
    assert.match(ok('rpc_seconds_bucket')!, /not in/);
    assert.match(ok('events_published')!, /not in monitoring\/exported-metrics.txt/);
    assert.match(ok('db_pool_connections_count')!, /not in/);
  });

  it('allows external metrics only where asked (alert rules), never in dashboards', () => {
    assert.match(problemWithName(list.metrics, 'kube_pod_container_status_restarts_total', false)!, /external/);
    assert.equal(problemWithName(list.metrics, 'kube_pod_container_status_restarts_total', true), undefined);
  });

  it('says which samples a scrape must hold for each type', () => {
    assert.deepEqual(requiredSamples(list.metrics.get('http_request_duration_seconds')!),
      ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_sum', 'http_request_duration_seconds_count']);
    assert.deepEqual(requiredSamples(list.metrics.get('db_pool_connections')!), ['db_pool_connections']);
  });

  it('reads sample names from an exposition, not from HELP and TYPE lines', () => {
    const names = sampleNames([
      '# HELP a_total help', '# TYPE a_total counter', '# TYPE never_seen counter',
      'a_total{service="todo-actors"} 3', 'b 1', 'c_bucket{le="+Inf"} 0', 'c_sum 0 1700000000000',
    ].join('\n'));
    assert.deepEqual([...names].sort(), ['a_total', 'b', 'c_bucket', 'c_sum']);
  });

  it('the committed list parses without a problem', () => {
    const { problems, metrics } = parseExportedMetrics(fs.readFileSync(path.join(REPO_ROOT, EXPORTED_METRICS_FILE), 'utf8'));
    assert.deepEqual(problems, []);
    assert.ok(metrics.size > 20);
  });
});
