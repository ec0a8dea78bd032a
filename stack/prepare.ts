/** One-time preparation of the stack's data directories: PostgreSQL's cluster, Kafka's storage. */
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { asSuperuser, sqlIdent, sqlLiteral } from './postgresAdmin';
import { config, kafkaBrokerList } from '../common/config';
import { paths, REPO_ROOT } from './paths';
import { say, StepError } from './progress';
import { kafkaSecretPlaceholders, kafkaStorageMatches, markKafkaStorage, scramFormatArgs } from './kafka/security';
import { KAFKA_LOG_FLAGS } from './services';

/** When we are root, PostgreSQL must run as the `postgres` user (it refuses root). */
export function postgresRunAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new StepError('preparing PostgreSQL', 'running as root, but there is no `postgres` user to run the server as (Debian\'s postgresql package creates it)');
  }
}

/** Lets the postgres user reach its data directory inside root's cache: adds search (x) permission only. */
function allowTraversal(dir: string): void {
  const chain: string[] = [];
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) chain.push(d);
  for (const d of chain) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
  }
}

export function preparePostgres(pgBin: string): void {
  const dir = paths.data('postgres');
  const runAs = postgresRunAs();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) {
    allowTraversal(dir);
    fs.chownSync(dir, runAs.uid, runAs.gid);
  }
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  const log = paths.installLog('postgres-initdb');
  fs.mkdirSync(paths.logs, { recursive: true });
  const r = spawnSync(path.join(pgBin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], {
    encoding: 'utf8', uid: runAs?.uid, gid: runAs?.gid, cwd: '/',
  });
  fs.writeFileSync(log, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0) throw new StepError('initialising the PostgreSQL cluster (initdb)', `initdb exited with ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`, log);
}

/** Creates the application's role and database when missing (as the cluster's superuser, over loopback). */
export async function ensureDatabase(port: number): Promise<void> {
  await asSuperuser(port, 'postgres', async (c) => {
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [config.pgUser]);
    if (role.rowCount === 0) await c.query(`CREATE ROLE ${sqlIdent(config.pgUser)} LOGIN PASSWORD ${sqlLiteral(config.pgPassword)}`);
    const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.pgDatabase]);
    if (db.rowCount === 0) await c.query(`CREATE DATABASE ${sqlIdent(config.pgDatabase)} OWNER ${sqlIdent(config.pgUser)}`);
  });
}

/** Writes Kafka's server.properties from the template and formats its storage once (KRaft). */
export function prepareKafka(java: string): void {
  const dir = paths.data('kafka');
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const brokerPort = kafkaBrokerList()[0].split(':')[1] ?? '9092';
  const template = fs.readFileSync(path.join(REPO_ROOT, 'stack', 'kafka', 'server.properties.template'), 'utf8');
  let props = template
    .replaceAll('{{LOG_DIR}}', logDir)
    .replaceAll('{{BROKER_PORT}}', brokerPort)
    .replaceAll('{{CONTROLLER_PORT}}', String(config.kafkaControllerPort));
  for (const [k, v] of Object.entries(kafkaSecretPlaceholders())) props = props.replaceAll(k, v);
  const propsFile = path.join(dir, 'server.properties');
  fs.writeFileSync(propsFile, props, { mode: 0o600 });
  fs.chmodSync(propsFile, 0o600);
  if (fs.existsSync(path.join(logDir, 'meta.properties'))) {
    if (kafkaStorageMatches(dir)) return;
    // Formatted before Kafka had users (or with other passwords): its users live in the metadata
    // log, written only at format time, so the local broker starts over, empty.
    say('  the local Kafka was formatted without the current SASL users: formatting it again (its topics start empty)');
    fs.rmSync(logDir, { recursive: true, force: true });
    fs.mkdirSync(logDir, { recursive: true });
  }
  const clusterId = randomBytes(16).toString('base64url');
  const log = paths.installLog('kafka-format');
  fs.mkdirSync(paths.logs, { recursive: true });
  const r = spawnSync(java, [...KAFKA_LOG_FLAGS, '-cp', `${paths.kafkaLibs}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile, '-g',
    ...scramFormatArgs()], { encoding: 'utf8' });
  fs.writeFileSync(log, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0) throw new StepError('formatting Kafka storage', `StorageTool exited with ${r.status}`, log);
  markKafkaStorage(dir);
}

export function ensureDirs(): void {
  for (const d of ['placement', 'scheduler', 'smtp-sink', 'dapr', 'prometheus', 'alertmanager', 'zipkin']) fs.mkdirSync(paths.data(d), { recursive: true });
  fs.mkdirSync(paths.data('sentry'), { recursive: true, mode: 0o700 }); // its CA's private keys
  fs.mkdirSync(paths.logs, { recursive: true });
}
