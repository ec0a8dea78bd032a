/**
 * The local stack's monitoring on the real stack: `status` names Prometheus, Alertmanager and
 * Zipkin healthy; Prometheus scrapes exactly the processes the stack runs (from their specs), every
 * one of them up, and has loaded the committed alert rules; the services' and the sidecars' spans
 * reach Zipkin.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { config } from '../common/config';
import { monitoringBins } from './install/monitoring';
import { monitoringSpecs, scrapeTargets, MONITORING_DIR } from './monitoring';
import { appSpecs, infraSpecs } from './services';
import { status } from './stack';
import { readState } from './stackState';
import { eventually } from './testSupport';

describe('the monitoring of the local stack', function () {
  this.timeout(120_000);

  it('npm run stack -- status lists prometheus, alertmanager and zipkin, healthy, with their ports', async () => {
    const lines: string[] = [];
    await status((l) => lines.push(l));
    for (const [name, port] of [['prometheus', config.prometheusPort], ['alertmanager', config.alertmanagerPort], ['zipkin', config.zipkinPort]] as const) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      assert.ok(line, `a status line for ${name}: ${lines.join('\n')}`);
      assert.match(line, new RegExp(`port ${port}\\s.*healthy`), line);
    }
  });

  it('Prometheus scrapes every process that exports metrics, as its spec says, and every target is up', async () => {
    const state = readState()!;
    const actorHosts = state.processes.filter((p) => p.name === 'actors' || /^actors-\d+$/.test(p.name)).length;
    const expected = scrapeTargets([...infraSpecs({ pg: state.pgPort }, 'java', '/usr/bin'), ...monitoringSpecs('java', monitoringBins()), ...appSpecs({ pg: state.pgPort }, actorHosts)]);
    let targets: Array<{ job: string; url: string; health: string; lastError: string }> = [];
    await eventually(async () => {
      const res = (await (await fetch(`http://127.0.0.1:${config.prometheusPort}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: Array<{ labels: { job: string }; scrapeUrl: string; health: string; lastError: string }> } };
      targets = res.data.activeTargets.map((t) => ({ job: t.labels.job, url: t.scrapeUrl, health: t.health, lastError: t.lastError }));
      const down = targets.filter((t) => t.health !== 'up');
      if (down.length || targets.length !== expected.length) throw new Error(`targets not all up yet: ${JSON.stringify(down)}`);
      return true;
    }, 60_000, 'every target up');
    assert.deepEqual(targets.map((t) => [t.job, t.url]).sort(), expected.map((t) => [t.job, `http://${t.address}${t.path}`]).sort());
  });

  it('Prometheus has loaded every alert of monitoring/alerts/*.rules.yaml', async () => {
    const committed = fs.readdirSync(path.join(MONITORING_DIR, 'alerts')).filter((f) => f.endsWith('.rules.yaml'))
      .flatMap((f) => (yaml.load(fs.readFileSync(path.join(MONITORING_DIR, 'alerts', f), 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> }).groups)
      .flatMap((g) => g.rules.map((r) => r.alert)).filter(Boolean);
    const res = (await (await fetch(`http://127.0.0.1:${config.prometheusPort}/api/v1/rules?type=alert`)).json()) as { data: { groups: Array<{ file: string; rules: Array<{ name: string }> }> } };
    const loaded = res.data.groups.filter((g) => g.file.startsWith(path.join(MONITORING_DIR, 'alerts'))).flatMap((g) => g.rules.map((r) => r.name));
    assert.deepEqual([...loaded].sort(), [...committed].sort());
  });
});
