/**
 * `stack up | down | status`: installs what is missing, starts the infrastructure and the services
 * in the background, and waits until every one is healthy; stops them by pid; reports them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../common/config';
import { actorMethodPath } from '../common/actorApi';
import { check, describe, portInUse } from './health';
import { installDapr, installSentry } from './install/dapr';
import { installMonitoring, monitoringBins, type MonitoringBins } from './install/monitoring';
import { monitoringSpecs, reloadMonitoring, writeMonitoringFiles } from './monitoring';
import { installKafka, javaBin } from './install/kafka';
import { installPostgres, postgresBinDir } from './install/postgres';
import { paths, REPO_ROOT, DAPR_VERSION } from './paths';
import { ensureDatabase, ensureDirs, postgresRunAs, prepareKafka, preparePostgres } from './prepare';
import { isAlive, spawnDetached, stopProcess, tailOf } from './processes';
import { say, step, StepError } from './progress';
import { DAPR_TOKEN_HEADER } from '../common/daprAccess';
import { stackCredentials } from './credentials';
import { applyKafkaAcls } from './kafka/security';
import { appSpecs, infraSpecs, specFingerprint, type ProcessSpec } from './services';
import { clearState, planUp, readState, writeState, type ProcessRecord, type StackState } from './stackState';

const FALLBACK_PG_PORT = 55432;

/** The services, and the one piece of infrastructure that is this repository's compiled code (its messages survive a restart). */
const runsOurCode = (p: ProcessRecord): boolean => p.group === 'app' || p.name === 'smtp-sink';

/**
 * Settings that change which service processes run or how they answer load, so `up` restarts the
 * services when one of them changed (`npm run bench` turns the rate limit off, shortens the outbox
 * retention and runs a second actor host). Other settings are left alone, as before: a test may
 * restart one service with a setting of its own without every other service being restarted.
 */
export const RESTART_ON_CHANGE = ['ACTOR_HOSTS', 'RATE_LIMIT_PER_SECOND', 'RATE_LIMIT_BURST', 'RATE_LIMIT_GATEWAYS', 'OUTBOX_RETENTION_MS'] as const;

/** Identifies the code the services run: the compiled output, the npm packages it loads, the Dapr resources and the settings above. */
export function buildId(): string {
  const h = createHash('sha256');
  h.update(DAPR_VERSION);
  for (const name of RESTART_ON_CHANGE) h.update(`${name}=${process.env[name] ?? ''}\n`);
  for (const f of [path.join(REPO_ROOT, 'dist', '.tsbuildinfo'), path.join(REPO_ROOT, 'package-lock.json')]) {
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  for (const f of fs.readdirSync(paths.components).sort()) h.update(f).update(fs.readFileSync(path.join(paths.components, f)));
  return h.digest('hex').slice(0, 16);
}

export async function installAll(): Promise<MonitoringBins> {
  fs.mkdirSync(paths.cache, { recursive: true });
  await installPostgres();
  await installKafka();
  await installDapr();
  await installSentry();
  return installMonitoring();
}

async function choosePgPort(): Promise<number> {
  if (process.env.PGPORT) return config.pgPort;
  if (!(await portInUse(config.pgPort))) return config.pgPort;
  say(`  port ${config.pgPort} is taken by a PostgreSQL this stack did not start; using ${FALLBACK_PG_PORT}`);
  return FALLBACK_PG_PORT;
}

async function waitHealthy(spec: ProcessSpec, rec: ProcessRecord): Promise<void> {
  const deadline = Date.now() + spec.startTimeoutMs;
  for (;;) {
    if (await check(spec.health)) return;
    if (!isAlive(rec)) {
      throw new StepError(`starting ${spec.name}`, `the process exited; last log lines:\n${tailOf(rec.log)}`, rec.log);
    }
    if (Date.now() > deadline) {
      throw new StepError(`starting ${spec.name}`, `not healthy after ${spec.startTimeoutMs / 1000}s (${describe(spec.health)}); last log lines:\n${tailOf(rec.log)}`, rec.log);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startOrReuse(state: StackState, specs: ProcessSpec[]): Promise<Array<[ProcessSpec, ProcessRecord]>> {
  const out: Array<[ProcessSpec, ProcessRecord]> = [];
  for (const spec of specs) {
    const existing = state.processes.find((p) => p.name === spec.name);
    if (existing && isAlive(existing)) {
      out.push([spec, existing]);
      continue;
    }
    state.processes = state.processes.filter((p) => p.name !== spec.name);
    if (await portInUse(spec.port)) {
      throw new StepError(`starting ${spec.name}`, `port ${spec.port} is already in use by a process this stack did not start; stop it or set the port's environment variable (see README)`);
    }
    const log = paths.log(spec.name);
    const started = spawnDetached({ cmd: spec.cmd, args: spec.args, env: spec.env, cwd: spec.cwd, log, uid: spec.runAs?.uid, gid: spec.runAs?.gid });
    const rec: ProcessRecord = { name: spec.name, group: spec.group, pid: started.pid, startTime: started.startTime, port: spec.port, log, spec: specFingerprint(spec) };
    state.processes.push(rec);
    writeState(state); // recorded at once, so `down` can stop it even if `up` fails later
    out.push([spec, rec]);
  }
  return out;
}

async function waitAll(started: Array<[ProcessSpec, ProcessRecord]>, progress: (d: string) => void): Promise<void> {
  let ready = 0;
  progress(`0/${started.length} healthy`);
  await Promise.all(started.map(async ([spec, rec]) => {
    await waitHealthy(spec, rec);
    progress(`${++ready}/${started.length} healthy (last: ${spec.name})`);
  }));
}

/** Until the gateway's sidecar can reach a UserActor (placement has disseminated the actor type). */
async function waitForActorPlacement(): Promise<void> {
  const url = `http://127.0.0.1:${config.gatewayDaprHttpPort}${actorMethodPath('stack-probe', 'getTask')}`;
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify({ taskId: 'probe' }), headers: { 'content-type': 'application/json', [DAPR_TOKEN_HEADER]: stackCredentials().gateway.daprToken }, signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = `${res.status} ${(await res.text()).slice(0, 200)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StepError('reaching UserActor through Dapr', `the gateway's sidecar could not invoke an actor within 60s: ${last}`, paths.log('daprd-gateway'));
}

export async function up(): Promise<StackState> {
  const bins = await installAll();
  const checkout = REPO_ROOT;
  const id = buildId();
  let prev = readState();
  const plan = planUp(prev, checkout, id, (prev?.processes ?? []).some((p) => isAlive(p)));
  if (plan.kind === 'takeover') {
    say(`The stack running now was started from another checkout (${plan.from}).`);
    say(`Stopping it, by its recorded pids, to start this checkout's code (${checkout}).`);
    await down();
    prev = undefined;
  } else if (plan.kind === 'fresh') {
    prev = undefined;
  }
  const pgAlive = prev?.processes.find((p) => p.name === 'postgres' && isAlive(p));
  const state: StackState = {
    checkout,
    buildId: prev?.buildId ?? id,
    startedAt: prev?.startedAt ?? new Date().toISOString(),
    pgPort: pgAlive && prev ? prev.pgPort : await choosePgPort(),
    processes: (prev?.processes ?? []).filter((p) => isAlive(p)),
  };
  if (plan.kind === 'resume' && plan.restartApps) {
    await step('restarting the services on the new build', async () => {
      const stale = state.processes.filter(runsOurCode);
      await stopRecords(stale);
      state.processes = state.processes.filter((p) => !stale.includes(p));
    });
  }
  state.buildId = id;
  writeState(state);

  const ports = { pg: state.pgPort };
  const pgBin = postgresBinDir();
  if (!pgBin) throw new StepError('starting PostgreSQL', 'no PostgreSQL server binaries found');
  const java = javaBin();
  ensureDirs();
  const monitoring = monitoringSpecs(java, bins);
  writeMonitoringFiles([...infraSpecs(ports, java, pgBin), ...monitoring, ...appSpecs(ports)]);

  // Processes left running with other settings (an older checkout's placement without mTLS, its
  // Kafka without SASL users; services with another TRACING_SAMPLING_RATE) are stopped here and
  // started again below with the current ones. The services always go together with their
  // sidecars (an app and its sidecar are one unit).
  const wanted = new Map([...infraSpecs(ports, java, pgBin, postgresRunAs()), ...appSpecs(ports)].map((x) => [x.name, specFingerprint(x)]));
  const outdated = state.processes.filter((p) => wanted.has(p.name) && p.spec !== wanted.get(p.name));
  if (outdated.length) {
    await step(`restarting ${outdated.map((p) => p.name).join(', ')} with their current settings`, async () => {
      const outdatedInfra = outdated.filter((p) => p.group === 'infra');
      await stopRecords(state.processes.filter((p) => p.group === 'app'));
      await stopRecords(outdatedInfra);
      state.processes = state.processes.filter((p) => p.group !== 'app' && !outdatedInfra.includes(p));
      writeState(state);
    });
  }

  await step('starting Dapr sentry, PostgreSQL, Kafka, the SMTP sink, Dapr placement and scheduler, Prometheus, Alertmanager, Zipkin', async (h) => {
    if (!state.processes.some((p) => p.name === 'postgres')) preparePostgres(pgBin);
    if (!state.processes.some((p) => p.name === 'kafka')) prepareKafka(java);
    const specs = [...infraSpecs(ports, java, pgBin, postgresRunAs()), ...monitoring];
    // Sentry first: placement and scheduler read the root certificate it makes on its first start.
    await waitAll(await startOrReuse(state, specs.filter((x) => x.name === 'sentry')), h.progress);
    const infra = await startOrReuse(state, specs.filter((x) => x.name !== 'sentry'));
    await waitAll(infra, h.progress);
    await ensureDatabase(ports.pg);
    h.progress('Kafka ACLs');
    await applyKafkaAcls();
  });

  await step('starting todo-actors, todo-subscribers, todo-gateway and their Dapr sidecars', async (h) => {
    // An app and its sidecar are one unit, like a pod: a sidecar whose app died is restarted with it.
    // (Re-registering actor types on a surviving sidecar can leave it hosting none after placement's
    // dissemination times out; a fresh sidecar registers cleanly.)
    const orphans = state.processes.filter((p) => p.name.startsWith('daprd-') && !state.processes.some((a) => a.name === p.name.slice(6)));
    if (orphans.length) {
      await stopRecords(orphans);
      state.processes = state.processes.filter((p) => !orphans.includes(p));
    }
    const apps = await startOrReuse(state, appSpecs(ports));
    await waitAll(apps, h.progress);
    h.progress('waiting for actor placement');
    await waitForActorPlacement();
  });
  await reloadMonitoring(); // a Prometheus kept from the last `up` scrapes this run's processes

  writeState(state);
  return state;
}

async function stopRecords(records: ProcessRecord[]): Promise<void> {
  await Promise.all(records.map(async (r) => {
    const sig: NodeJS.Signals = r.name === 'postgres' ? 'SIGINT' : 'SIGTERM';
    const how = await stopProcess(r, sig, r.name === 'kafka' ? 30_000 : 15_000);
    if (how === 'killed') say(`  ${r.name} (pid ${r.pid}) did not stop in time and was killed`);
  }));
}

/** Stops everything the state records: the services first, then the infrastructure. Idempotent. */
export async function down(): Promise<void> {
  const state = readState();
  if (!state) return;
  const alive = state.processes.filter((p) => isAlive(p));
  if (alive.length) {
    await step(`stopping ${alive.length} processes`, async () => {
      await stopRecords(alive.filter((p) => p.group === 'app'));
      await stopRecords(alive.filter((p) => p.group === 'infra' && p.name !== 'postgres' && p.name !== 'kafka'));
      await stopRecords(alive.filter((p) => p.name === 'kafka' || p.name === 'postgres'));
    });
  }
  clearState();
}

export async function status(print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<boolean> {
  const state = readState();
  if (!state) {
    print('stack: not running (no state recorded)');
    return false;
  }
  print(`stack: started ${state.startedAt} from ${state.checkout}`);
  const recordedActorHosts = state.processes.filter((p) => p.name === 'actors' || /^actors-\d+$/.test(p.name)).length;
  const specs = new Map([...infraSpecs({ pg: state.pgPort }, 'java', '/usr/bin'), ...monitoringSpecs('java', monitoringBins()), ...appSpecs({ pg: state.pgPort }, Math.max(1, recordedActorHosts))].map((s) => [s.name, s]));
  let allHealthy = true;
  for (const name of specs.keys()) {
    const rec = state.processes.find((p) => p.name === name);
    const alive = rec ? isAlive(rec) : false;
    const healthy = alive && (await check(specs.get(name)!.health));
    allHealthy &&= healthy;
    const port = rec?.port ?? specs.get(name)!.port;
    print(`${name.padEnd(18)} pid ${String(alive ? rec!.pid : '-').padEnd(8)} port ${String(port).padEnd(6)} ${healthy ? 'healthy' : alive ? 'UNHEALTHY' : 'stopped'}  log ${rec?.log ?? paths.log(name)}`);
  }
  return allHealthy;
}

/**
 * Runs fn with the stack up: reuses a stack this checkout already runs (and leaves it running),
 * or starts one and stops it afterwards, whatever fn does.
 */
export async function withStack<T>(fn: (state: StackState) => Promise<T>): Promise<T> {
  const before = readState();
  const wasRunning = !!before && path.resolve(before.checkout) === REPO_ROOT && before.processes.some((p) => isAlive(p));
  try {
    const state = await up();
    (config as { pgPort: number }).pgPort = state.pgPort; // PostgreSQL may have moved off 5432
    process.env.PGPORT = String(state.pgPort);
    return await fn(state);
  } finally {
    if (!wasRunning) await down().catch((err) => say(`✖ stopping the stack failed: ${String(err)}`));
  }
}
