/**
 * The processes of the local stack, with their commands, environment, ports and health checks.
 * Infrastructure first (PostgreSQL, Kafka, the SMTP sink, Dapr placement and scheduler), then each
 * service with its own daprd sidecar. Every Dapr process gets its own healthz and metrics ports.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config, kafkaBrokerList, SERVICE_APP_IDS } from '../common/config';
import { stackCredentials, type Service } from './credentials';
import type { HealthCheck } from './health';
import { kafkaSecurityFingerprint, kafkaUserSecurity, serviceKafkaEnv } from './kafka/security';
import { paths, REPO_ROOT } from './paths';

export const KAFKA_LOG_FLAGS = ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info',
  '-Dorg.slf4j.simpleLogger.showDateTime=true'];

export interface ProcessSpec {
  name: string;
  group: 'infra' | 'app';
  port: number;
  health: HealthCheck;
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Signal for a clean stop: PostgreSQL's fast shutdown is SIGINT. */
  stopSignal: NodeJS.Signals;
  /** How long a first start may take before it counts as failed. */
  startTimeoutMs: number;
  runAs?: { uid: number; gid: number };
  /** Where Prometheus scrapes this process (stack/monitoring.ts derives its scrape targets from these). */
  metrics?: { port: number; path: string };
  /** Settings it reads from a file of its own (Kafka's server.properties and users, the sidecars' config.yaml), for specFingerprint. */
  configFingerprint?: string;
}

/**
 * What a process is started with: its command, arguments and own settings. `up` restarts an
 * infrastructure process whose fingerprint changed (say, placement without mTLS, or Kafka without
 * SASL, left running by an older checkout), and the services with their sidecars when one of
 * theirs did (another TRACING_SAMPLING_RATE or SERVICE_CPU_PROFILE_DIR).
 */
export function specFingerprint(spec: ProcessSpec): string {
  return createHash('sha256').update(JSON.stringify([spec.cmd, spec.args, spec.configFingerprint ?? ''])).digest('hex').slice(0, 16);
}

export interface Ports {
  pg: number;
}

export interface Sidecar {
  service: Service;
  appId: string;
  appPort: number;
  /** The app's own port for /metrics, /healthz and /readyz (common/opsServer.ts): what Prometheus scrapes. */
  appMetricsPort: number;
  httpPort: number;
  grpc: number;
  internalGrpc: number;
  metrics: number;
  healthz: number;
}

export function sidecars(): Record<'gateway' | 'actors' | 'subscribers', Sidecar> {
  const b = config.daprPortBase;
  const mk = (i: number, service: Service, appPort: number, appMetricsPort: number, httpPort: number): Sidecar => ({
    service, appId: SERVICE_APP_IDS[service], appPort, appMetricsPort, httpPort,
    grpc: b + i * 4, internalGrpc: b + i * 4 + 1, metrics: b + i * 4 + 2, healthz: b + i * 4 + 3,
  });
  return {
    gateway: mk(0, 'gateway', config.gatewayPort, config.gatewayMetricsPort, config.gatewayDaprHttpPort),
    actors: mk(1, 'actors', config.actorsPort, config.actorsMetricsPort, config.actorsDaprHttpPort),
    subscribers: mk(2, 'subscribers', config.subscribersPort, config.subscribersMetricsPort, config.subscribersDaprHttpPort),
  };
}

/** Port offset of actor host n (n ≥ 2) from the first host's app and sidecar HTTP ports. */
export const EXTRA_ACTOR_HOST_PORT_STEP = 100;

/**
 * The sidecars of the extra actor hosts (ACTOR_HOSTS ≥ 2): same app id as the first, host n's app on
 * ACTORS_PORT + 100·(n−1), its Dapr HTTP API on ACTORS_DAPR_HTTP_PORT + 100·(n−1), and its other
 * four ports after the three sidecars' in the DAPR_SIDECAR_PORT_BASE block.
 */
export function extraActorHostSidecars(actorHosts = config.actorHosts): Sidecar[] {
  if (!Number.isInteger(actorHosts) || actorHosts < 1) throw new Error(`ACTOR_HOSTS must be 1 or more, got ${actorHosts}`);
  const b = config.daprPortBase;
  return Array.from({ length: actorHosts - 1 }, (_, k) => {
    const i = 3 + k;
    const step = EXTRA_ACTOR_HOST_PORT_STEP * (k + 1);
    return {
      service: 'actors' as const, appId: SERVICE_APP_IDS.actors, appPort: config.actorsPort + step, appMetricsPort: config.actorsMetricsPort + step,
      httpPort: config.actorsDaprHttpPort + step,
      grpc: b + i * 4, internalGrpc: b + i * 4 + 1, metrics: b + i * 4 + 2, healthz: b + i * 4 + 3,
    };
  });
}

export function controlPlanePorts() {
  const b = config.daprControlPortBase;
  return {
    placementHealthz: b, placementMetrics: b + 1, placementRaft: b + 2,
    schedulerHealthz: b + 3, schedulerMetrics: b + 4, schedulerEtcdClient: b + 5, schedulerEtcdPeer: b + 6,
    sentryHealthz: b + 7, sentryMetrics: b + 8,
  };
}

/**
 * mTLS in the local stack, as in the cluster: the stack's sentry is the certificate authority (it
 * makes its root and issuer certificates in data/sentry on its first start); placement, scheduler
 * and every daprd get their identity from it and trust its root. Self-hosted Dapr names the trust
 * domain `localhost` and the namespace `default` for the control plane and the apps alike.
 */
export const sentryCredentials = () => paths.data('sentry');
export const trustAnchorsFile = () => path.join(sentryCredentials(), 'ca.crt');
const sentryAddress = () => `127.0.0.1:${config.sentryPort}`;

function controlPlaneTlsArgs(): string[] {
  return ['--tls-enabled', '--trust-anchors-file', trustAnchorsFile(), '--sentry-address', sentryAddress(), '--trust-domain', 'localhost'];
}

/** The root certificate daprd trusts (DAPR_TRUST_ANCHORS), once sentry has made it. */
function trustAnchors(): string {
  try {
    return fs.readFileSync(trustAnchorsFile(), 'utf8');
  } catch {
    return '';
  }
}

/** Every service process of the stack (each actor host apart) with the port Prometheus scrapes. */
export function metricsTargets(actorHosts = config.actorHosts): Array<{ name: string; service: Service; port: number }> {
  const sc = sidecars();
  return [
    { name: 'gateway', service: 'gateway', port: sc.gateway.appMetricsPort },
    { name: 'actors', service: 'actors', port: sc.actors.appMetricsPort },
    ...extraActorHostSidecars(actorHosts).map((s, k) => ({ name: `actors-${k + 2}`, service: 'actors' as const, port: s.appMetricsPort })),
    { name: 'subscribers', service: 'subscribers', port: sc.subscribers.appMetricsPort },
  ];
}

/** The environment every service process runs with: the configured settings plus the stack's choices. */
export function serviceEnv(ports: Ports, daprHttpPort: number, service: Service): NodeJS.ProcessEnv {
  const cred = stackCredentials()[service];
  return {
    ...process.env,
    APP_API_TOKEN: service === 'gateway' ? '' : cred.appToken,
    DAPR_API_TOKEN: cred.daprToken,
    ...serviceKafkaEnv(service),
    PGHOST: config.pgHost,
    PGPORT: String(ports.pg),
    PGUSER: config.pgUser,
    PGPASSWORD: config.pgPassword,
    PGDATABASE: config.pgDatabase,
    KAFKA_BROKERS: config.kafkaBrokers,
    DAPR_HTTP_PORT: String(daprHttpPort),
    SMTP_PORT: String(config.smtpPort),
  };
}

function node(script: string): { cmd: string; args: string[] } {
  const profile = config.serviceCpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(config.serviceCpuProfileDir)}`] : [];
  return { cmd: process.execPath, args: ['--enable-source-maps', ...profile, path.join(REPO_ROOT, 'dist', script)] };
}

export function infraSpecs(ports: Ports, java: string, pgBin: string, runAsPostgres?: { uid: number; gid: number }): ProcessSpec[] {
  const cp = controlPlanePorts();
  const kafkaPort = Number(kafkaBrokerList()[0].split(':')[1] ?? 9092);
  return [
    // First, and alone (stack.ts): the others read the root certificate it makes.
    {
      name: 'sentry', group: 'infra', port: config.sentryPort, stopSignal: 'SIGTERM', startTimeoutMs: 60_000,
      health: { kind: 'http', url: `http://127.0.0.1:${cp.sentryHealthz}/healthz` },
      cmd: paths.daprBin('sentry'),
      args: ['--port', String(config.sentryPort), '--listen-address', '127.0.0.1', '--healthz-port', String(cp.sentryHealthz),
        '--healthz-listen-address', '127.0.0.1', '--metrics-port', String(cp.sentryMetrics), '--metrics-listen-address', '127.0.0.1',
        '--issuer-credentials', sentryCredentials(), '--trust-domain', 'localhost', '--mode', 'standalone',
        '--config', path.join(REPO_ROOT, 'stack', 'dapr', 'sentry.yaml'), '--log-as-json'],
      env: process.env, cwd: sentryCredentials(),
    },
    {
      name: 'postgres', group: 'infra', port: ports.pg, health: { kind: 'postgres', port: ports.pg }, stopSignal: 'SIGINT', startTimeoutMs: 60_000,
      cmd: path.join(pgBin, 'postgres'),
      args: ['-D', paths.data('postgres'), '-p', String(ports.pg), '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${paths.data('postgres')}`, '-c', 'max_connections=200'],
      env: { ...process.env, LC_ALL: 'C' }, cwd: paths.data('postgres'), runAs: runAsPostgres,
    },
    {
      name: 'kafka', group: 'infra', port: kafkaPort, health: { kind: 'kafka', brokers: kafkaBrokerList(), security: kafkaUserSecurity('admin') }, stopSignal: 'SIGTERM', startTimeoutMs: 120_000,
      cmd: java,
      // Flags measured in stack/kafka/NOTES.md; slf4j-simple logs to stderr, i.e. the log file.
      args: ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
        ...KAFKA_LOG_FLAGS, '-cp', `${paths.kafkaLibs}/*`,
        'kafka.Kafka', path.join(paths.data('kafka'), 'server.properties')],
      env: process.env, cwd: paths.data('kafka'), configFingerprint: kafkaSecurityFingerprint(),
    },
    {
      name: 'smtp-sink', group: 'infra', port: config.smtpSinkHttpPort, stopSignal: 'SIGTERM', startTimeoutMs: 20_000,
      health: { kind: 'http', url: `http://127.0.0.1:${config.smtpSinkHttpPort}/healthz` },
      ...node('stack/smtpSink.js'), env: process.env, cwd: REPO_ROOT,
    },
    {
      name: 'placement', group: 'infra', port: config.placementPort, stopSignal: 'SIGTERM', startTimeoutMs: 60_000,
      health: { kind: 'http', url: `http://127.0.0.1:${cp.placementHealthz}/healthz` }, metrics: { port: cp.placementMetrics, path: '/metrics' },
      cmd: paths.daprBin('placement'),
      args: ['--port', String(config.placementPort), '--listen-address', '127.0.0.1', '--healthz-port', String(cp.placementHealthz),
        '--healthz-listen-address', '127.0.0.1', '--metrics-port', String(cp.placementMetrics), '--metrics-listen-address', '127.0.0.1',
        '--initial-cluster', `dapr-placement-0=127.0.0.1:${cp.placementRaft}`, ...controlPlaneTlsArgs(), '--log-as-json'],
      env: process.env, cwd: paths.data('placement'),
    },
    {
      name: 'scheduler', group: 'infra', port: config.schedulerPort, stopSignal: 'SIGTERM', startTimeoutMs: 90_000,
      health: { kind: 'http', url: `http://127.0.0.1:${cp.schedulerHealthz}/healthz` }, metrics: { port: cp.schedulerMetrics, path: '/metrics' },
      cmd: paths.daprBin('scheduler'),
      args: ['--port', String(config.schedulerPort), '--listen-address', '127.0.0.1', '--healthz-port', String(cp.schedulerHealthz),
        '--healthz-listen-address', '127.0.0.1', '--metrics-port', String(cp.schedulerMetrics), '--metrics-listen-address', '127.0.0.1',
        '--etcd-data-dir', paths.data('scheduler'), '--etcd-client-port', String(cp.schedulerEtcdClient),
        '--etcd-client-listen-address', '127.0.0.1',
        '--etcd-initial-cluster', `dapr-scheduler-server-0=http://127.0.0.1:${cp.schedulerEtcdPeer}`, '--id', 'dapr-scheduler-server-0',
        ...controlPlaneTlsArgs(), '--log-as-json'],
      env: process.env, cwd: paths.data('scheduler'),
    },
  ];
}

/**
 * The app channel of a sidecar: the actor host and the subscribers get theirs (Dapr calls them, with
 * the app token); the gateway has none: Dapr never calls it, it only calls out.
 */
function appChannelArgs(s: Sidecar): string[] {
  if (s.service === 'gateway') return [];
  return ['--app-port', String(s.appPort), '--app-protocol', 'http', '--app-channel-address', '127.0.0.1',
    '--enable-app-health-check', '--app-health-check-path', '/healthz', '--app-health-probe-interval', '3'];
}

function daprdSpec(name: string, s: Sidecar, ports: Ports): ProcessSpec {
  const cred = stackCredentials()[s.service];
  return {
    name, group: 'app', port: s.httpPort, stopSignal: 'SIGTERM', startTimeoutMs: 90_000,
    health: { kind: 'http', url: `http://127.0.0.1:${s.healthz}/v1.0/healthz` }, metrics: { port: s.metrics, path: '/metrics' },
    cmd: paths.daprBin('daprd'),
    args: ['--mode', 'standalone', '--app-id', s.appId, ...appChannelArgs(s),
      '--dapr-http-port', String(s.httpPort), '--dapr-grpc-port', String(s.grpc), '--dapr-internal-grpc-port', String(s.internalGrpc),
      '--dapr-listen-addresses', '127.0.0.1', '--dapr-internal-grpc-listen-address', '127.0.0.1',
      '--dapr-public-port', String(s.healthz), '--dapr-public-listen-address', '127.0.0.1',
      '--metrics-port', String(s.metrics), '--metrics-listen-address', '127.0.0.1',
      '--placement-host-address', `127.0.0.1:${config.placementPort}`, '--scheduler-host-address', `127.0.0.1:${config.schedulerPort}`,
      // components/config.yaml with this stack's Zipkin port (stack/monitoring.ts renderDaprConfig).
      '--resources-path', paths.components, '--config', path.join(paths.data('dapr'), 'config.yaml'),
      '--enable-mtls', '--sentry-address', sentryAddress(),
      '--dapr-graceful-shutdown-seconds', '10', '--log-as-json'],
    env: {
      ...process.env,
      // Dapr's two tokens (common/daprAccess.ts): the app must send DAPR_API_TOKEN; daprd sends APP_API_TOKEN to the app.
      DAPR_API_TOKEN: cred.daprToken,
      APP_API_TOKEN: s.service === 'gateway' ? '' : cred.appToken,
      DAPR_TRUST_ANCHORS: trustAnchors(),
      // Read by components/secretstore.yaml (secretstores.local.env with prefix TODO_SECRET_).
      TODO_SECRET_PG_CONNECTION_STRING: `host=${config.pgHost} port=${ports.pg} user=${config.pgUser} password=${config.pgPassword} dbname=${config.pgDatabase} sslmode=disable`,
    },
    // components/config.yaml names the SQLite name-resolution database by a path relative to here.
    cwd: paths.data('dapr'),
    configFingerprint: appSettingsFingerprint(),
  };
}

/**
 * The settings a service or sidecar takes at its start that `up` compares with a running one's: a
 * stack started with another TRACING_SAMPLING_RATE (the bench's, say) gets its services restarted.
 */
function appSettingsFingerprint(): string {
  return `tracingSamplingRate=${config.tracingSamplingRate}`;
}

export function appSpecs(ports: Ports, actorHosts = config.actorHosts): ProcessSpec[] {
  const sc = sidecars();
  const app = (name: string, script: string, s: Sidecar, env: NodeJS.ProcessEnv = {}): ProcessSpec => ({
    name, group: 'app', port: s.appPort, stopSignal: 'SIGTERM', startTimeoutMs: 90_000,
    health: { kind: 'http', url: `http://127.0.0.1:${s.appMetricsPort}/readyz` }, metrics: { port: s.appMetricsPort, path: '/metrics' },
    ...node(script), env: { ...serviceEnv(ports, s.httpPort, s.service), ...env }, cwd: REPO_ROOT, configFingerprint: appSettingsFingerprint(),
  });
  const extraActorHosts = extraActorHostSidecars(actorHosts).flatMap((s, k) => [
    app(`actors-${k + 2}`, 'actors/main.js', s, { ACTORS_PORT: String(s.appPort), ACTORS_METRICS_PORT: String(s.appMetricsPort) }),
    daprdSpec(`daprd-actors-${k + 2}`, s, ports),
  ]);
  return [
    app('actors', 'actors/main.js', sc.actors), daprdSpec('daprd-actors', sc.actors, ports), ...extraActorHosts,
    app('subscribers', 'subscribers/main.js', sc.subscribers), daprdSpec('daprd-subscribers', sc.subscribers, ports),
    app('gateway', 'gateway/main.js', sc.gateway), daprdSpec('daprd-gateway', sc.gateway, ports),
  ];
}
