/**
 * monitoring/exported-metrics.txt is true on the real stack: after some ordinary work (tasks, actor
 * calls, the audit query, a reminder that fires and is emailed), every metric on the list has
 * samples at every process it names: the services' /metrics on their app ports and each daprd's
 * metrics port (histograms as _bucket, _sum and _count). The dashboard check trusts this list.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths';
import { sidecars } from '../services';
import { api, eventually, tokenFor, uniqueUser } from '../testSupport';
import { EXPORTED_METRICS_FILE, parseExportedMetrics, requiredSamples, sampleNames, type Source } from './exportedMetrics';

function metricsUrls(): Record<Source, string> {
  const sc = sidecars();
  return {
    gateway: `http://127.0.0.1:${sc.gateway.appMetricsPort}/metrics`,
    actors: `http://127.0.0.1:${sc.actors.appMetricsPort}/metrics`,
    subscribers: `http://127.0.0.1:${sc.subscribers.appMetricsPort}/metrics`,
    'daprd-gateway': `http://127.0.0.1:${sc.gateway.metrics}/metrics`,
    'daprd-actors': `http://127.0.0.1:${sc.actors.metrics}/metrics`,
    'daprd-subscribers': `http://127.0.0.1:${sc.subscribers.metrics}/metrics`,
  };
}

async function scrape(url: string): Promise<Set<string>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200, `GET ${url}`);
  return sampleNames(await res.text());
}

describe('exported metrics (monitoring/exported-metrics.txt) on the real stack', function () {
  this.timeout(120_000);

  it('every listed metric has samples at every process the list names, after tasks, actor calls and a reminder email', async () => {
    const { metrics, problems } = parseExportedMetrics(fs.readFileSync(path.join(REPO_ROOT, EXPORTED_METRICS_FILE), 'utf8'));
    assert.deepEqual(problems, []);
    const ours = [...metrics.values()].filter((m) => m.external === undefined);
    assert.ok(ours.length > 0);

    // Work that touches every listed metric: gateway routes, actor activation and methods, the
    // outbox to Kafka, both consumer groups, PostgreSQL in both services, a Dapr reminder and its email.
    const userId = uniqueUser('metrics');
    const token = await tokenFor(userId, `${userId}@example.com`);
    const remindAt = new Date(Date.now() + 3000).toISOString();
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'metrics e2e', due: new Date(Date.now() + 3_600_000).toISOString(), reminders: [{ at: remindAt }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await api('GET', '/v1/tasks', { token })).status, 200);
    assert.equal((await api('GET', `/v1/tasks/${created.body.id}`, { token })).status, 200);
    await eventually(async () => ((await api('GET', '/v1/audit', { token })).status === 200 ? true : undefined), 30_000, 'the audit query');

    const urls = metricsUrls();
    let missing: string[] = [];
    await eventually(async () => {
      const scraped = new Map<Source, Set<string>>();
      for (const [source, url] of Object.entries(urls) as Array<[Source, string]>) scraped.set(source, await scrape(url));
      missing = ours.flatMap((m) => m.sources.flatMap((s) => requiredSamples(m)
        .filter((sample) => !scraped.get(s)!.has(sample))
        .map((sample) => `${sample} at ${s} (${urls[s]})`)));
      if (missing.length) throw new Error(`not exported yet: ${missing.join('; ')}`);
      return true;
    }, 60_000, 'every listed metric at every listed process');
    assert.deepEqual(missing, []);
  });
});
