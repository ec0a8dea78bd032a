/**
 * Every query of every dashboard in monitoring/dashboards/ against the live local Prometheus, after
 * ordinary traffic (tasks written and read, a recurring task completed, client errors, the audit
 * query, a reminder that fires and is emailed): none errors, and each returns series.
 *
 * A few queries select only failures (5xx answers, failed statements, dead-lettered events),
 * which a healthy stack does not have: for those the same query without that selector must return
 * series, which proves everything else in it (metric, labels, functions) matches what is exported.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';
import { DASHBOARDS_DIR, readDashboard, type PanelQuery } from './deployCheck/dashboards';
import { api, eventually, promQuery, sinkInbox, tokenFor, uniqueUser } from './testSupport';

/** Selectors of failures only; the query is then checked without them. */
const FAILURE_ONLY = [/,?\s*status_code=~"5\.\."/, /,?\s*outcome="error"/, /,?\s*outcome="dead_lettered"/];

/** Every query of every dashboard; a dashboard that cannot be read fails the test rather than being skipped. */
export function dashboardQueries(): PanelQuery[] {
  const dir = path.join(REPO_ROOT, DASHBOARDS_DIR);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => {
    const d = readDashboard(`${DASHBOARDS_DIR}/${f}`, fs.readFileSync(path.join(dir, f), 'utf8'));
    assert.deepEqual(d.defects, [], `${f} reads as a dashboard`);
    assert.ok(d.queries.length > 0, `${f} has queries`);
    return d.queries;
  });
}

/** Work that touches every dashboard's metrics. */
export async function ordinaryTraffic(): Promise<void> {
  const user = uniqueUser('dashboards');
  const token = await tokenFor(user, `${user}@example.com`);
  const soon = new Date(Date.now() + 2000).toISOString();
  const created = await api('POST', '/v1/tasks', { token, body: { title: 'dashboards', due: new Date(Date.now() + 3_600_000).toISOString(), reminders: [{ at: soon }] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const series = await api('POST', '/v1/tasks', { token, body: { title: 'every day', due: new Date(Date.now() + 3_600_000).toISOString(), recurrence: { rule: 'FREQ=DAILY' } } });
  assert.equal(series.status, 201, JSON.stringify(series.body));
  const done = await api('POST', `/v1/tasks/${series.body.id}/complete`, { token });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(done.body.next, 'the next occurrence was created');
  assert.equal((await api('GET', '/v1/tasks', { token })).status, 200);
  assert.equal((await api('GET', `/v1/tasks/${created.body.id}`, { token })).status, 200);
  assert.equal((await api('PATCH', `/v1/tasks/${created.body.id}`, { token, body: { title: 'dashboards, renamed' } })).status, 200);
  assert.equal((await api('GET', '/v1/tasks/no-such-task', { token })).status, 404);
  assert.equal((await api('POST', '/v1/tasks', { token, body: { title: '' } })).status, 400);
  await eventually(async () => ((await api('GET', '/v1/audit', { token })).status === 200 ? true : undefined), 30_000, 'the audit query');
  await eventually(async () => ((await sinkInbox(`${user}@example.com`)).length > 0 ? true : undefined), 60_000, 'the reminder email');
}

async function verdict(q: PanelQuery): Promise<string | undefined> {
  const r = await promQuery(q.promql);
  if (!r.ok) return `${q.where}: Prometheus refuses it: ${r.error}`;
  if (r.series.length > 0) return undefined;
  const withoutFailures = FAILURE_ONLY.reduce((e, re) => e.replace(re, ''), q.promql).replace(/\{\s*,/g, '{');
  if (withoutFailures !== q.promql) {
    const w = await promQuery(withoutFailures);
    if (w.ok && w.series.length > 0) return undefined;
    return `${q.where}: no series, not even without its failure selector: ${withoutFailures}`;
  }
  return `${q.where}: no series: ${q.promql}`;
}

describe('the dashboards against the live Prometheus', function () {
  this.timeout(300_000);

  it('every panel query of every dashboard runs without error and returns series after ordinary traffic', async () => {
    const queries = dashboardQueries();
    assert.ok(queries.length > 50, `found ${queries.length} queries`);
    await ordinaryTraffic();
    let failing: string[] = [];
    await eventually(async () => {
      failing = (await Promise.all(queries.map(verdict))).filter((v): v is string => v !== undefined);
      if (failing.length) throw new Error(`${failing.length} queries:\n${failing.join('\n')}`);
      return true;
    }, 120_000, 'every dashboard query to return series');
    assert.deepEqual(failing, []);
  });
});
