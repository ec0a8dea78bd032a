/**
 * The rate limit with several gateways, on the real stack: two more gateway processes (the real
 * dist/gateway/main.js, on the stack's Kafka and the gateway's Dapr sidecar) configured as two
 * replicas sharing one limit (RATE_LIMIT_GATEWAYS=2). One user whose requests go to both is held
 * to the configured rate, not to twice it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { config } from '../common/config';
import { REPO_ROOT } from '../stack/paths';
import { eventually, tokenFor, uniqueUser } from '../stack/testSupport';

const PER_SECOND = 5;
const BURST = 20;

/** A port nothing listens on now (the OS picks it), so the test gateways collide with no stack. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startGateway(port: number, started: ChildProcess[]): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'gateway', 'main.js')], {
    env: {
      ...process.env, GATEWAY_PORT: String(port), DAPR_HTTP_PORT: String(config.gatewayDaprHttpPort), SYNC_GROUP_ID: `rate-limit-test-${randomUUID()}`,
      RATE_LIMIT_PER_SECOND: String(PER_SECOND), RATE_LIMIT_BURST: String(BURST), RATE_LIMIT_GATEWAYS: '2', LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  started.push(child); // stopped by after() even if it never answers
  await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 120_000, `the gateway on ${port}`);
}

describe('the rate limit across gateways', function () {
  this.timeout(240_000);
  const children: ChildProcess[] = [];
  after(async () => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    })));
  });

  it('two gateways hold one user to the configured rate and burst, however the requests spread', async () => {
    const ports = [await freePort(), await freePort()];
    // Started together: a node process can take many seconds to start on a loaded machine.
    await Promise.all(ports.map((p) => startGateway(p, children)));
    const token = await tokenFor(uniqueUser('two-gateways'));
    // An unrouted /v1 path: limited like every /v1 call, answered without an actor call.
    const call = (port: number) => fetch(`http://127.0.0.1:${port}/v1/no-such-route`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    const started = Date.now();
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      statuses.push(...await Promise.all(Array.from({ length: 40 }, (_, i) => call(ports[i % 2]))));
    }
    const seconds = (Date.now() - started) / 1000;
    const allowed = statuses.filter((s) => s === 404).length;
    const limited = statuses.filter((s) => s === 429).length;
    assert.equal(allowed + limited, statuses.length, `only 404 and 429: ${[...new Set(statuses)].join(', ')}`);
    // The configured limit over the whole window: the burst, plus what the rate refills meanwhile.
    const ceiling = BURST + PER_SECOND * seconds;
    assert.ok(allowed <= ceiling, `${allowed} requests went through in ${seconds.toFixed(1)} s; the limit allows ${ceiling.toFixed(1)} (each gateway alone would allow its own ${BURST})`);
    assert.ok(allowed >= BURST, `the burst goes through: ${allowed} of ${BURST}`);
  });
});
