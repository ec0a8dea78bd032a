import assert from 'node:assert/strict';
import { readDashboard, substituteVariables } from './dashboards';

const DS = { type: 'prometheus', uid: '${datasource}' };
const dashboard = (panels: unknown[], extraVars: unknown[] = []) => JSON.stringify({
  uid: 'u', title: 't', panels,
  templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }, ...extraVars] },
});

describe('reading Grafana dashboards for the dashboard check', () => {
  it('replaces Grafana\'s interval variables by durations and the dashboard\'s own by their value, leaving $1 alone', () => {
    const vars = new Map([['group', 'audit']]);
    assert.deepEqual(
      substituteVariables('label_replace(rate(x{g="$group",h="${group:regex}",i="[[group]]"}[$__rate_interval]), "m", "$1", "p", "(.*)") offset ${__interval}', vars),
      { promql: 'label_replace(rate(x{g="audit",h="audit",i="audit"}[5m]), "m", "$1", "p", "(.*)") offset 1m', unknown: [] },
    );
    assert.deepEqual(substituteVariables('x{a="$nope"}', vars).unknown, ['$nope']);
  });

  it('finds every query, nested in rows too, and names it by file, panel and refId', () => {
    const d = readDashboard('d.json', dashboard([
      { type: 'stat', title: 'One', datasource: DS, targets: [{ refId: 'A', expr: 'sum(up)' }] },
      { type: 'row', title: 'Row', panels: [{ type: 'timeseries', title: 'Two', datasource: DS, targets: [{ refId: 'B', expr: 'rate(x_total[$__rate_interval])', datasource: DS }] }] },
      { type: 'text', title: 'Notes' },
    ]));
    assert.deepEqual(d.defects, []);
    assert.deepEqual(d.queries.map((q) => [q.where, q.promql]), [['d.json › "One" › A', 'sum(up)'], ['d.json › "Two" › B', 'rate(x_total[5m])']]);
  });

  it('wants the ${datasource} variable everywhere: defined, on every panel and on every query', () => {
    const noVar = readDashboard('d.json', JSON.stringify({ uid: 'u', title: 't', panels: [] }));
    assert.match(noVar.defects[0].message, /template variable "datasource"/);
    const fixed = readDashboard('d.json', dashboard([
      { type: 'timeseries', title: 'P', datasource: { type: 'prometheus', uid: 'PBFA97CFB590B2093' }, targets: [{ refId: 'A', expr: 'up', datasource: 'Prometheus' }] },
    ]));
    assert.deepEqual(fixed.defects.map((x) => x.where), ['d.json › "P"', 'd.json › "P" › A']);
  });

  it('reports panels without queries, queries without an expression, and JSON that does not parse', () => {
    const d = readDashboard('d.json', dashboard([
      { type: 'timeseries', title: 'Empty', datasource: DS, targets: [] },
      { type: 'timeseries', title: 'Blank', datasource: DS, targets: [{ refId: 'A', expr: ' ' }] },
    ]));
    assert.deepEqual(d.defects.map((x) => x.message), ['the panel has no query', 'the query has no PromQL expression (expr)']);
    assert.match(readDashboard('d.json', '{"panels": [').defects[0].message, /not valid JSON/);
  });
});
