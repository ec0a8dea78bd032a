/**
 * The local stack's monitoring: Prometheus, Alertmanager and Zipkin, with the files they read.
 *
 * - Prometheus scrapes every process whose spec names a metrics endpoint (stack/services.ts: the
 *   services, every daprd, placement, scheduler) and itself and Alertmanager: the targets are
 *   derived from the specs, so a process that moves its metrics moves its target. It loads
 *   monitoring/alerts/*.rules.yaml as they are, plus whatever a test puts in rules.d/ of its data
 *   directory (shortened copies, never the committed files), and sends alerts to Alertmanager.
 * - Alertmanager reads monitoring/alertmanager.yaml with this environment's SMTP settings filled in
 *   (`${NAME}` placeholders, the ones the services read), so locally alerts are emails at the SMTP
 *   sink.
 * - Zipkin keeps spans in memory; every daprd sends its spans there (components/config.yaml, whose
 *   Zipkin address gets this stack's ZIPKIN_PORT) and so do the services (common/tracing.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { config, type Config } from '../common/config';
import { paths, REPO_ROOT } from './paths';
import type { ProcessSpec } from './services';
import type { MonitoringBins } from './install/monitoring';

export const MONITORING_DIR = path.join(REPO_ROOT, 'monitoring');
export const ALERTMANAGER_TEMPLATE = path.join(MONITORING_DIR, 'alertmanager.yaml');
/** How often Prometheus scrapes and evaluates rules locally (a cluster's Prometheus has its own). */
export const LOCAL_SCRAPE_INTERVAL = '5s';

export const prometheusDir = (): string => paths.data('prometheus');
/** Rule files a test adds (then POST /-/reload): loaded beside monitoring/alerts/*.rules.yaml. */
export const extraRulesDir = (): string => path.join(prometheusDir(), 'rules.d');

export interface ScrapeTarget {
  job: string;
  address: string;
  path: string;
}

/** One target per process that exports metrics, named by its process (job = gateway, daprd-actors, …). */
export function scrapeTargets(specs: readonly ProcessSpec[]): ScrapeTarget[] {
  return specs.filter((s) => s.metrics).map((s) => ({ job: s.name, address: `127.0.0.1:${s.metrics!.port}`, path: s.metrics!.path }));
}

export function prometheusConfig(targets: readonly ScrapeTarget[]): string {
  const doc = {
    global: { scrape_interval: LOCAL_SCRAPE_INTERVAL, evaluation_interval: LOCAL_SCRAPE_INTERVAL, scrape_timeout: '4s' },
    rule_files: [path.join(MONITORING_DIR, 'alerts', '*.rules.yaml'), path.join(extraRulesDir(), '*.yaml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${config.alertmanagerPort}`] }] }] },
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      metrics_path: t.path,
      // Our services label every metric with `service`; keep it as they set it.
      honor_labels: true,
      static_configs: [{ targets: [t.address] }],
    })),
  };
  return `# Written by the local stack (stack/monitoring.ts) from the process specs; edits are overwritten.\n${yaml.dump(doc, { lineWidth: 200 })}`;
}

/** The values of monitoring/alertmanager.yaml's placeholders, from the settings the services read. */
export function alertmanagerValues(c: Pick<Config, 'smtpHost' | 'smtpPort' | 'smtpTls' | 'smtpUser' | 'smtpPassword' | 'alertEmailFrom' | 'alertEmailCritical' | 'alertEmailWarning'> = config): Record<string, string> {
  const quoted = (s: string) => s.replace(/'/g, "''"); // the file puts these in YAML single quotes
  return {
    SMTP_HOST: quoted(c.smtpHost),
    SMTP_PORT: String(c.smtpPort),
    // Alertmanager does STARTTLS when required, and implicit TLS by itself on port 465.
    SMTP_REQUIRE_TLS: String(c.smtpTls === 'starttls'),
    SMTP_USER: quoted(c.smtpUser),
    SMTP_PASSWORD: quoted(c.smtpPassword),
    ALERT_EMAIL_FROM: quoted(c.alertEmailFrom),
    ALERT_EMAIL_CRITICAL: quoted(c.alertEmailCritical),
    ALERT_EMAIL_WARNING: quoted(c.alertEmailWarning),
  };
}

/** Fills `${NAME}` placeholders; a placeholder without a value is an error, not an empty string. */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`no value for \${${name}}`);
    return values[name];
  });
}

/**
 * components/config.yaml with its Zipkin address on this stack's ZIPKIN_PORT and its samplingRate
 * TRACING_SAMPLING_RATE's, so the sidecars sample new traces as the services do (one setting for both,
 * as the chart's dapr.tracing.samplingRate is).
 */
export function daprConfig(source: string, zipkinPort: number, samplingRate: number): string {
  const out = source.replace(/(endpointAddress:\s*"?http:\/\/127\.0\.0\.1:)\d+(\/api\/v2\/spans)/, `$1${zipkinPort}$2`);
  if (out === source && !source.includes(`127.0.0.1:${zipkinPort}/api/v2/spans`)) throw new Error('components/config.yaml names no local Zipkin endpointAddress');
  const sampled = out.replace(/(\n\s+samplingRate:\s*)"[^"]*"/, `$1"${samplingRate}"`);
  if (!/\n\s+samplingRate:\s*"/.test(out)) throw new Error('components/config.yaml names no tracing samplingRate');
  return sampled;
}

/** Writes the files the Dapr sidecars and the monitoring programs read (every `up`). */
export function writeMonitoringFiles(allSpecs: readonly ProcessSpec[]): void {
  fs.mkdirSync(extraRulesDir(), { recursive: true });
  fs.mkdirSync(paths.data('alertmanager'), { recursive: true });
  fs.mkdirSync(paths.data('dapr'), { recursive: true });
  fs.writeFileSync(path.join(prometheusDir(), 'prometheus.yml'), prometheusConfig(scrapeTargets(allSpecs)));
  fs.writeFileSync(path.join(paths.data('alertmanager'), 'alertmanager.yml'), fillPlaceholders(fs.readFileSync(ALERTMANAGER_TEMPLATE, 'utf8'), alertmanagerValues()));
  fs.writeFileSync(path.join(paths.data('dapr'), 'config.yaml'), daprConfig(fs.readFileSync(path.join(paths.components, 'config.yaml'), 'utf8'), config.zipkinPort, config.tracingSamplingRate));
}

/** Asks a running Prometheus and Alertmanager to read their files again (targets, rules, routes). */
export async function reloadMonitoring(): Promise<void> {
  for (const port of [config.prometheusPort, config.alertmanagerPort]) {
    await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  }
}

export function monitoringSpecs(java: string, bins: MonitoringBins): ProcessSpec[] {
  return [
    {
      name: 'prometheus', group: 'infra', port: config.prometheusPort, stopSignal: 'SIGTERM', startTimeoutMs: 60_000,
      health: { kind: 'http', url: `http://127.0.0.1:${config.prometheusPort}/-/ready` },
      metrics: { port: config.prometheusPort, path: '/metrics' },
      cmd: bins.prometheus,
      args: [`--config.file=${path.join(prometheusDir(), 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(prometheusDir(), 'tsdb')}`,
        '--storage.tsdb.retention.time=2d', `--web.listen-address=127.0.0.1:${config.prometheusPort}`, '--web.enable-lifecycle'],
      env: process.env, cwd: prometheusDir(),
    },
    {
      name: 'alertmanager', group: 'infra', port: config.alertmanagerPort, stopSignal: 'SIGTERM', startTimeoutMs: 60_000,
      health: { kind: 'http', url: `http://127.0.0.1:${config.alertmanagerPort}/-/ready` },
      metrics: { port: config.alertmanagerPort, path: '/metrics' },
      cmd: bins.alertmanager,
      // No cluster: its gossip port would be 9094 on every interface.
      args: [`--config.file=${path.join(paths.data('alertmanager'), 'alertmanager.yml')}`, `--storage.path=${paths.data('alertmanager')}`,
        `--web.listen-address=127.0.0.1:${config.alertmanagerPort}`, '--cluster.listen-address='],
      env: process.env, cwd: paths.data('alertmanager'),
    },
    {
      name: 'zipkin', group: 'infra', port: config.zipkinPort, stopSignal: 'SIGTERM', startTimeoutMs: 300_000, // 13 s of CPU to start: minutes on a loaded machine
      health: { kind: 'http', url: `http://127.0.0.1:${config.zipkinPort}/health` },
      cmd: java,
      // In-memory storage (the default), at most 50,000 spans; loopback only.
      args: ['-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
        '-jar', bins.zipkinJar,
        `--armeria.ports[0].port=${config.zipkinPort}`, '--armeria.ports[0].ip=127.0.0.1', '--armeria.ports[0].protocols=http'],
      env: { ...process.env, STORAGE_TYPE: 'mem', MEM_MAX_SPANS: '50000', SELF_TRACING_ENABLED: 'false' }, cwd: paths.data('zipkin'),
    },
  ];
}
