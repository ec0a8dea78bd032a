/**
 * Runs the peer for a bench: the Restate server (from the npm package, see
 * stack/install/restate.ts) with a fresh data directory under the cache, and the peer's service
 * process (loadtest/peer/main.ts), each in a process group of its own so its CPU is counted like
 * the stack's; registers the service with the server, seeds users, and stops both afterwards.
 * Restate runs with its defaults (its WAL is fsynced: rocksdb-disable-wal-fsync stays false); only
 * its ports, its data directory and telemetry (off) are set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { paths, REPO_ROOT } from '../../stack/paths';
import { say } from '../../stack/progress';
import { installRestateServer, RESTATE_SERVER_VERSION } from '../../stack/install/restate';
import { peerPorts } from './ports';

export interface Peer {
  /** Process group leader pid → name, for the CPU accounting of runK6. */
  groups: Map<number, string>;
  ingressUrl: string;
  version: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const log = path.join(paths.cache, 'logs', `peer-${name}.log`);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const out = fs.openSync(log, 'w');
  const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', out, out], detached: true, env: { ...process.env, ...env } });
  fs.closeSync(out);
  child.on('exit', (code, signal) => say(`  peer: ${name} exited (${code ?? signal}); its log: ${log}`));
  return child;
}

async function until(what: string, seconds: number, probe: () => Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`peer: ${what} not ready after ${seconds} s (logs: ${path.join(paths.cache, 'logs')}/peer-*.log)`);
}

export async function startPeer(): Promise<Peer> {
  const bin = await installRestateServer();
  const ports = peerPorts();
  const dataDir = path.join(paths.cache, 'peer', 'restate-data');
  fs.rmSync(dataDir, { recursive: true, force: true }); // every bench starts from an empty peer, as the stack's users are fresh
  fs.mkdirSync(dataDir, { recursive: true });
  say(`▶ peer: Restate server ${RESTATE_SERVER_VERSION} (ingress 127.0.0.1:${ports.ingress}, data ${dataDir}) and its service on ${ports.service}`);
  const server = start('restate-server', bin, ['--no-logo', '--base-dir', dataDir, '--node-name', 'peer'], {
    RESTATE_DISABLE_TELEMETRY: 'true', RESTATE_LISTEN_MODE: 'tcp',
    // bind-ip and the per-service bind-port are the listener settings of Restate ≥ 1.6 (checked with --dump-config); loopback only
    RESTATE_BIND_IP: '127.0.0.1', RESTATE_BIND_PORT: String(ports.node), RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${ports.node}/`,
    RESTATE_INGRESS__BIND_PORT: String(ports.ingress), RESTATE_ADMIN__BIND_PORT: String(ports.admin),
  });
  const service = start('service', process.execPath, [path.join(REPO_ROOT, 'dist', 'loadtest', 'peer', 'main.js')], { PEER_PORT_BASE: String(ports.ingress) });
  const children = [server, service];
  const stop = async () => {
    for (const c of children) {
      try {
        if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  };
  process.once('exit', () => void stop());
  try {
    const admin = `http://127.0.0.1:${ports.admin}`;
    await until('the Restate admin API', 60, async () => (await fetch(`${admin}/health`)).ok);
    await until('the peer service registration', 60, async () => {
      const r = await fetch(`${admin}/deployments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uri: `http://127.0.0.1:${ports.service}`, force: true }) });
      return r.ok;
    });
    const ingressUrl = `http://127.0.0.1:${ports.ingress}`;
    await until('the Restate ingress', 60, async () => (await fetch(`${ingressUrl}/TodoUser/probe/list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok);
    const groups = new Map<number, string>();
    if (server.pid) groups.set(server.pid, 'restate-server');
    if (service.pid) groups.set(service.pid, 'peer-service');
    return { groups, ingressUrl, version: RESTATE_SERVER_VERSION, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Gives each user `each` open tasks through the peer's own create (32 at a time); not measured. */
export async function seedPeer(peer: Peer, userIds: string[], each: number): Promise<void> {
  const jobs = userIds.flatMap((id) => Array.from({ length: each }, (_, i) => ({ id, i })));
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < jobs.length) {
      const { id, i } = jobs[next++];
      const r = await fetch(`${peer.ingressUrl}/TodoUser/${encodeURIComponent(id)}/create`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `seeded ${i}`, priority: (['low', 'medium', 'high'] as const)[i % 3] }),
      });
      if (!r.ok) throw new Error(`peer: seeding ${id} answered ${r.status}: ${await r.text()}`);
    }
  }));
}
