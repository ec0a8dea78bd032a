/**
 * The monitoring checks of `npm run deploy:check` on a copy of monitoring/: the committed rules and
 * dashboards pass, and each kind of breakage is reported as a defect that says where it is.
 * Needs promtool (installed into the cache by prepare()).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../paths';
import { alertRulesCheck } from './alertRulesCheck';
import type { CheckContext, Defect, DeployCheck } from './check';
import { dashboardCheck } from './dashboardCheck';

const RULES = 'monitoring/alerts/todo-actors.rules.yaml';
const TESTS = 'monitoring/alerts/todo-actors.test.yaml';
const API = 'monitoring/dashboards/api.json';

describe('monitoring checks (promtool, dashboards) on intact and broken copies', function () {
  this.timeout(120_000);
  const made: string[] = [];

  before(async function () {
    this.timeout(30 * 60_000); // the first run fetches promtool (or builds it with go install)
    await alertRulesCheck.prepare!();
    await dashboardCheck.prepare!();
  });

  after(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A checkout with a copy of monitoring/, changed by `edit` (file relative to the root → new text). */
  function copy(edit: Record<string, (text: string) => string> = {}): CheckContext {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-check-'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-check-tmp-'));
    made.push(root, tmp);
    fs.cpSync(path.join(REPO_ROOT, 'monitoring'), path.join(root, 'monitoring'), { recursive: true });
    for (const [file, change] of Object.entries(edit)) {
      const p = path.join(root, file);
      const before = fs.readFileSync(p, 'utf8');
      const after = change(before);
      assert.notEqual(after, before, `the edit of ${file} changed nothing`);
      fs.writeFileSync(p, after);
    }
    return { root, tmp };
  }

  const run = (c: DeployCheck, ctx: CheckContext): Promise<Defect[]> => c.run(ctx);
  const replace = (from: string, to: string) => (t: string) => t.replace(from, to);

  it('the committed alert rules and dashboards pass both checks', async () => {
    const ctx = copy();
    assert.deepEqual(await run(alertRulesCheck, ctx), []);
    assert.deepEqual(await run(dashboardCheck, ctx), []);
  });

  it('an alert rule with bad PromQL is a defect naming the rules file, the line and the parse error', async () => {
    const defects = await run(alertRulesCheck, copy({ [RULES]: replace('sum by (service) (rate(http_request_duration_seconds_count{status_code=~"5.."}[5m]))', 'sum by (service) rate(http_request_duration_seconds_count{status_code=~"5.."}[5m]))') }));
    const parse = defects.filter((d) => d.where.startsWith(`${RULES}:`) && /parse error/.test(d.message));
    assert.equal(parse.length, 1, JSON.stringify(defects, null, 1));
    assert.match(parse[0].message, /HttpErrorRateHigh/);
  });

  it('a changed threshold that the unit tests catch is a defect of promtool test rules', async () => {
    const defects = await run(alertRulesCheck, copy({ [RULES]: replace('rate(reminder_fire_lateness_seconds_bucket[10m]))) > 1', 'rate(reminder_fire_lateness_seconds_bucket[10m]))) > 3') }));
    assert.equal(defects.length, 1, JSON.stringify(defects, null, 1));
    assert.equal(defects[0].where, TESTS);
    assert.match(defects[0].message, /promtool test rules: .*ReminderLatenessP99High/);
  });

  it('an alert without a severity, a runbook or a quiet-case test, or naming an unknown metric, is a defect each', async () => {
    const defects = await run(alertRulesCheck, copy({
      [RULES]: (t) => t.replace('severity: warning\n        annotations:\n          summary: "The outbox backlog', 'severity: page\n        annotations:\n          summary: "The outbox backlog')
        .replace('runbook_url: monitoring/README.md#httperrorratehigh', 'runbook_url: https://example.com/runbook')
        .replace('max(outbox_pending_events) > 0\n          unless', 'max(outbox_pending_evnets) > 0\n          unless'),
      [TESTS]: (t) => t.replace(/alertname: PodRestartingOften\n {8}exp_alerts: \[\]/, 'alertname: PodRestartingOften\n        exp_alerts:\n          - exp_labels: {severity: warning, namespace: todo, pod: todo-actors-7d9f8c6b5-x2x7q, container: actors}'),
      'monitoring/README.md': replace('### KafkaConsumerLagHigh', '### Consumer lag'),
    }));
    const about = (where: string, what: RegExp) => defects.some((d) => d.where.includes(where) && what.test(d.message));
    assert.ok(about('OutboxBacklogGrowing', /severity must be one of critical, warning, not "page"/), JSON.stringify(defects, null, 1));
    assert.ok(about('HttpErrorRateHigh', /runbook_url must be monitoring\/README.md#httperrorratehigh/));
    assert.ok(about('KafkaConsumerLagHigh', /no runbook heading "### KafkaConsumerLagHigh"/));
    assert.ok(about('OutboxNotPublishing', /outbox_pending_evnets is not in monitoring\/exported-metrics.txt/));
    assert.ok(about('PodRestartingOften', /no unit test .* where PodRestartingOften stays quiet/));
  });

  it('a dashboard naming a metric nobody exports is a defect naming the dashboard and panel', async () => {
    const defects = await run(dashboardCheck, copy({ [API]: replace('sum(rate(http_request_duration_seconds_count{route!~\\"/healthz|/readyz|/metrics\\"}[$__rate_interval]))', 'sum(rate(http_requests_total[$__rate_interval]))') }));
    assert.deepEqual(defects, [{
      where: `${API} › "Requests per second" › A`,
      message: 'http_requests_total is not in monitoring/exported-metrics.txt: no service or sidecar of ours is known to export it',
    }]);
  });

  it('a dashboard query that does not parse is a defect with promtool\'s parse error', async () => {
    const defects = await run(dashboardCheck, copy({ [API]: replace('histogram_quantile(0.99, sum by (le, method, route)', 'histogram_quantile(0.99, sum by (le, method, route) by') }));
    assert.equal(defects.length, 1, JSON.stringify(defects, null, 1));
    assert.equal(defects[0].where, `${API} › "Latency p99 by route" › A`);
    assert.match(defects[0].message, /parse error/);
  });

  it('a histogram by its bare name, an external metric, and a fixed data source are defects in a dashboard', async () => {
    const defects = await run(dashboardCheck, copy({
      'monitoring/dashboards/postgresql.json': (t) => t.replace('sum(rate(db_query_duration_seconds_count[$__rate_interval]))', 'sum(rate(db_query_duration_seconds[$__rate_interval]))')
        .replace('sum(db_pool_waiting_clients)', 'sum(kube_pod_container_status_restarts_total)')
        .replace('"uid": "${datasource}"', '"uid": "P1809F7CD0C75ACF3"'),
    }));
    assert.ok(defects.some((d) => /db_query_duration_seconds is a histogram/.test(d.message)), JSON.stringify(defects, null, 1));
    assert.ok(defects.some((d) => /kube_pod_container_status_restarts_total is not exported by our services/.test(d.message)));
    assert.ok(defects.some((d) => /data source must be the \$\{datasource\} variable/.test(d.message)));
    assert.equal(defects.length, 3);
  });

  it('a metric removed from the list makes every dashboard query and rule that uses it a defect', async () => {
    const defects = await run(dashboardCheck, copy({ 'monitoring/exported-metrics.txt': (t) => t.replace(/^reminders_pending .*\n/m, '') }));
    assert.ok(defects.length >= 2);
    for (const d of defects) assert.match(d.message, /reminders_pending is not in/);
  });
});
