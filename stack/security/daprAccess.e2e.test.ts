/**
 * As an attacker who starts a Dapr sidecar of their own on the host (or a pod of their own in the
 * cluster): a sidecar of another app id is refused by the Configuration's accessControl (default
 * deny) when it invokes the subscribers' audit or the actor host's app, and a sidecar without a
 * certificate from the stack's sentry cannot even claim to be the gateway. The gateway's own
 * sidecar can make the one call the system makes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { config } from '../../common/config';
import { paths } from '../paths';
import { sidecars, trustAnchorsFile } from '../services';
import { api, eventually, sidecarHeaders, tokenFor, uniqueUser } from '../testSupport';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Intruder {
  http: number;
  child: ChildProcess;
  log: string;
}

/** A daprd the attacker runs: its own app id, no app, the stack's config and name resolution; with or without mTLS. */
async function startSidecar(appId: string, mtls: boolean): Promise<Intruder> {
  const [http, grpc, internal, metrics, healthz] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const log = path.join(paths.logs, `test-${appId}-${mtls ? 'mtls' : 'plain'}.log`);
  const out = fs.openSync(log, 'w');
  const args = ['--mode', 'standalone', '--app-id', appId, '--dapr-http-port', String(http), '--dapr-grpc-port', String(grpc),
    '--dapr-internal-grpc-port', String(internal), '--dapr-listen-addresses', '127.0.0.1', '--dapr-internal-grpc-listen-address', '127.0.0.1',
    '--dapr-public-port', String(healthz), '--dapr-public-listen-address', '127.0.0.1', '--metrics-port', String(metrics), '--metrics-listen-address', '127.0.0.1',
    '--resources-path', paths.components, '--config', path.join(paths.components, 'config.yaml'), '--log-as-json',
    ...(mtls ? ['--enable-mtls', '--sentry-address', `127.0.0.1:${config.sentryPort}`] : [])];
  const env = { ...process.env, DAPR_TRUST_ANCHORS: mtls ? fs.readFileSync(trustAnchorsFile(), 'utf8') : '', DAPR_API_TOKEN: '', APP_API_TOKEN: '' };
  const child = spawn(paths.daprBin('daprd'), args, { cwd: paths.data('dapr'), env, stdio: ['ignore', out, out] });
  await eventually(async () => ((await fetch(`http://127.0.0.1:${healthz}/v1.0/healthz/outbound`)).ok ? true : undefined), 60_000, `${appId}'s sidecar to start (log ${log})`);
  return { http, child, log };
}

async function invoke(port: number, method: string, appAndPath: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/v1.0/invoke/${appAndPath}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : '{"query":{}}', signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

describe("security: Dapr's mTLS and access control refuse a sidecar of another app id", function () {
  this.timeout(120_000);
  const victim = uniqueUser('victim');
  const sidecarsStarted: Intruder[] = [];

  before(async () => {
    const res = await api('POST', '/v1/tasks', { token: await tokenFor(victim), body: { title: 'victim secret plan' } });
    assert.equal(res.status, 201);
    // The audit has recorded it, so a successful read would show it.
    await eventually(async () => ((await api('GET', '/v1/audit', { token: await tokenFor(victim) })).body?.items?.length ? true : undefined), 30_000, 'the audit');
  });
  after(() => {
    for (const s of sidecarsStarted) s.child.kill('SIGTERM');
  });

  it("lets the gateway's sidecar read the audit store: the one invocation the system makes", async () => {
    const r = await invoke(sidecars().gateway.httpPort, 'GET', `todo-subscribers/method/audit?userId=${victim}`, sidecarHeaders('gateway'));
    assert.equal(r.status, 200, r.text);
  });

  it('refuses a sidecar of another app id, with a certificate from the sentry, every invocation of the audit and of the actor host', async () => {
    // With the stack's sentry running, the intruder gets a certificate of its own app id from it
    // (self-hosted sentry's validator trusts whoever asks: the cluster's checks the pod's service account).
    const intruder = await startSidecar('todo-intruder', fs.existsSync(trustAnchorsFile()));
    sidecarsStarted.push(intruder);
    const attempts: Array<[string, string]> = [
      ['GET', `todo-subscribers/method/audit?userId=${victim}`],
      ['GET', `todo-subscribers/method/audit/replay?userId=${victim}&after=0`],
      ['PUT', `todo-actors/method/actors/UserActor/${victim}/method/listTasks`],
    ];
    for (const [method, target] of attempts) {
      const r = await invoke(intruder.http, method, target);
      assert.equal(r.status, 403, `${method} ${target} through todo-intruder answered ${r.status}: ${r.text.slice(0, 300)}`);
      assert.doesNotMatch(r.text, /victim secret plan/);
    }
  });

  it("refuses the gateway's own sidecar an invocation it never makes (the actor host's app routes)", async () => {
    const r = await invoke(sidecars().gateway.httpPort, 'PUT', `todo-actors/method/actors/UserActor/${victim}/method/listTasks`, sidecarHeaders('gateway'));
    assert.equal(r.status, 403, r.text.slice(0, 300));
  });

  it('refuses a sidecar without a certificate from the sentry that claims to be the gateway', async () => {
    const impostor = await startSidecar('todo-gateway', false);
    sidecarsStarted.push(impostor);
    const r = await invoke(impostor.http, 'GET', `todo-subscribers/method/audit?userId=${victim}`);
    assert.notEqual(r.status, 200, r.text.slice(0, 300));
    assert.doesNotMatch(r.text, /victim secret plan/);
  });
});
