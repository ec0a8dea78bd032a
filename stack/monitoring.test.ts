import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { config } from '../common/config';
import { REPO_ROOT } from './paths';
import { ALERTMANAGER_TEMPLATE, alertmanagerValues, daprConfig, fillPlaceholders, monitoringSpecs, prometheusConfig, scrapeTargets } from './monitoring';
import { appSpecs, infraSpecs, sidecars } from './services';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML documents, read field by field
type Doc = any;

const bins = { prometheus: '/p', alertmanager: '/a', zipkinJar: '/z.jar' };
const allSpecs = (actorHosts = 1) => [...infraSpecs({ pg: 5432 }, 'java', '/usr/bin'), ...monitoringSpecs('java', bins), ...appSpecs({ pg: 5432 }, actorHosts)];

describe('the local Prometheus scrape targets', () => {
  it('are every service, every daprd, placement, scheduler, Prometheus and Alertmanager, taken from the process specs', () => {
    const jobs = scrapeTargets(allSpecs()).map((t) => t.job).sort();
    assert.deepEqual(jobs, ['actors', 'alertmanager', 'daprd-actors', 'daprd-gateway', 'daprd-subscribers', 'gateway', 'placement', 'prometheus', 'scheduler', 'subscribers']);
  });

  it('follow a process whose metrics move: a sidecar is scraped on its own metrics port, and an extra actor host appears with its sidecar', () => {
    const targets = scrapeTargets(allSpecs(2));
    assert.equal(targets.find((t) => t.job === 'daprd-gateway')?.address, `127.0.0.1:${sidecars().gateway.metrics}`);
    assert.ok(targets.some((t) => t.job === 'actors-2') && targets.some((t) => t.job === 'daprd-actors-2'));
    const moved = allSpecs().map((s) => (s.name === 'gateway' ? { ...s, metrics: { port: 1, path: '/m' } } : s));
    assert.deepEqual(scrapeTargets(moved).find((t) => t.job === 'gateway'), { job: 'gateway', address: '127.0.0.1:1', path: '/m' });
  });

  it('go into a Prometheus configuration that loads the committed rules and sends alerts to the local Alertmanager', () => {
    const doc = yaml.load(prometheusConfig(scrapeTargets(allSpecs()))) as Doc;
    assert.ok(doc.rule_files[0].endsWith(path.join('monitoring', 'alerts', '*.rules.yaml')));
    assert.deepEqual(doc.alerting.alertmanagers[0].static_configs[0].targets, [`127.0.0.1:${config.alertmanagerPort}`]);
    const gw = doc.scrape_configs.find((s: Doc) => s.job_name === 'gateway');
    assert.deepEqual(gw.static_configs[0].targets, [`127.0.0.1:${config.gatewayMetricsPort}`]);
    assert.equal(gw.honor_labels, true);
  });
});

describe('monitoring/alertmanager.yaml as the local stack fills it in', () => {
  const template = fs.readFileSync(ALERTMANAGER_TEMPLATE, 'utf8');

  it('sends to the SMTP server the services use, with no placeholder left, routing critical and warning alerts to their own receivers', () => {
    const doc = yaml.load(fillPlaceholders(template, alertmanagerValues())) as Doc;
    assert.equal(doc.global.smtp_smarthost, `${config.smtpHost}:${config.smtpPort}`);
    assert.equal(doc.global.smtp_require_tls, false);
    const routes = doc.route.routes.map((r: Doc) => [r.matchers[0], r.receiver]);
    assert.deepEqual(routes, [['severity="critical"', 'oncall'], ['severity="warning"', 'operators']]);
    const to = Object.fromEntries(doc.receivers.map((r: Doc) => [r.name, r.email_configs[0].to]));
    assert.deepEqual(to, { oncall: config.alertEmailCritical, operators: config.alertEmailWarning });
    assert.ok(doc.receivers.every((r: Doc) => r.email_configs[0].send_resolved === true));
  });

  it('requires STARTTLS for SMTP_TLS=starttls and keeps a quote in a password inside its YAML string', () => {
    const v = alertmanagerValues({ ...config, smtpTls: 'starttls', smtpPassword: "it's" });
    const doc = yaml.load(fillPlaceholders(template, v)) as Doc;
    assert.equal(doc.global.smtp_require_tls, true);
    assert.equal(doc.global.smtp_auth_password, "it's");
  });

  it('refuses a placeholder it has no value for', () => {
    assert.throws(() => fillPlaceholders('a: ${NOPE}', {}), /NOPE/);
  });
});

describe("the sidecars' Dapr Configuration", () => {
  it('is components/config.yaml with the Zipkin address on this stack\'s port', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'components', 'config.yaml'), 'utf8');
    const doc = yaml.load(daprConfig(source, 10011, 1)) as Doc;
    assert.equal(doc.spec.tracing.zipkin.endpointAddress, 'http://127.0.0.1:10011/api/v2/spans');
    assert.equal(doc.spec.tracing.samplingRate, '1');
  });

  it('samples new traces at TRACING_SAMPLING_RATE, as the services do', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'components', 'config.yaml'), 'utf8');
    const doc = yaml.load(daprConfig(source, 10011, 0.1)) as Doc;
    assert.equal(doc.spec.tracing.samplingRate, '0.1');
  });
});
