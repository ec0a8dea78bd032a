/**
 * As an attacker on the same host (any local process), or a workload next to the pods: the actor
 * host's and the subscribers' app ports answer only their own daprd, the sidecars answer only their
 * own app, and nothing of ours listens beyond loopback. Each request here carries no token, or a
 * wrong one, exactly what such a process can send.
 */
import assert from 'node:assert/strict';
import { config } from '../../common/config';
import { extraActorHostSidecars, sidecars } from '../services';
import { api, appHeaders, sidecarHeaders, tokenFor, uniqueUser } from '../testSupport';
import { isLoopback, tcpListeners } from './listeners';

const local = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

describe('security: app ports answer only their daprd, sidecars only their app', function () {
  this.timeout(60_000);
  const victim = uniqueUser('victim');
  let taskId = '';

  before(async () => {
    const res = await api('POST', '/v1/tasks', { token: await tokenFor(victim), body: { title: 'victim secret plan' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    taskId = res.body.id;
  });

  it("refuses to hand another user's tasks to a caller of the actor host's app port without the app token", async () => {
    const url = local(config.actorsPort, `/actors/UserActor/${victim}/method/listTasks`);
    for (const headers of [{}, { 'dapr-api-token': 'guessed' }, sidecarHeaders('actors')]) {
      const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":{}}' });
      const text = await res.text();
      assert.equal(res.status, 401, `PUT /actors/UserActor/<victim>/method/listTasks answered ${res.status}: ${text.slice(0, 200)}`);
      assert.doesNotMatch(text, /victim secret plan/);
    }
  });

  it("refuses another user's audit trail to a caller of the subscribers' app port without the app token", async () => {
    for (const path of [`/audit?userId=${victim}`, `/audit/replay?userId=${victim}&after=0`]) {
      for (const headers of [{}, { 'dapr-api-token': 'guessed' }, appHeaders('actors')]) {
        const res = await fetch(local(config.subscribersPort, path), { headers });
        const text = await res.text();
        assert.equal(res.status, 401, `GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
        assert.doesNotMatch(text, new RegExp(taskId));
      }
    }
  });

  it('answers the app token of its own daprd (what Dapr sends)', async () => {
    const res = await fetch(local(config.subscribersPort, `/audit?userId=${victim}`), { headers: appHeaders('subscribers') });
    assert.equal(res.status, 200);
  });

  it("refuses a call to a service's Dapr sidecar without that service's API token", async () => {
    const sc = sidecars();
    const calls: Array<[string, number, string, string]> = [
      ['actors', sc.actors.httpPort, 'POST', `/v1.0/actors/UserActor/${victim}/method/listTasks`],
      ['gateway', sc.gateway.httpPort, 'POST', `/v1.0/actors/UserActor/${victim}/method/listTasks`],
      ['gateway', sc.gateway.httpPort, 'GET', `/v1.0/invoke/todo-subscribers/method/audit?userId=${victim}`],
      ['subscribers', sc.subscribers.httpPort, 'GET', '/v1.0/metadata'],
    ];
    for (const [owner, port, method, path] of calls) {
      const other = owner === 'actors' ? 'gateway' : 'actors';
      for (const headers of [{}, sidecarHeaders(other)]) {
        const res = await fetch(local(port, path), { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'POST' ? '{"query":{}}' : undefined });
        const text = await res.text();
        assert.equal(res.status, 401, `${method} ${path} on ${owner}'s sidecar answered ${res.status}: ${text.slice(0, 200)}`);
        assert.doesNotMatch(text, /victim secret plan/);
      }
    }
  });

  it("serves metrics and health on each service's metrics port, and not on the ports that serve users or Dapr", async () => {
    const sc = sidecars();
    for (const s of [sc.gateway, sc.actors, sc.subscribers]) {
      assert.equal((await fetch(local(s.appMetricsPort, '/metrics'))).status, 200, `${s.service} metrics port`);
      assert.equal((await fetch(local(s.appMetricsPort, '/readyz'))).status, 200, `${s.service} readiness`);
    }
    assert.equal((await fetch(local(config.gatewayPort, '/metrics'))).status, 404, 'the public port serves no metrics');
    assert.equal((await fetch(local(config.actorsPort, '/metrics'))).status, 401);
    assert.equal((await fetch(local(config.subscribersPort, '/metrics'))).status, 401);
  });

  it('listens on loopback only, the actor host included (the Dapr SDK server ignored the configured host)', () => {
    const sc = sidecars();
    const ours = new Map<number, string>();
    for (const s of [sc.gateway, sc.actors, sc.subscribers, ...extraActorHostSidecars()]) {
      ours.set(s.appPort, s.service).set(s.appMetricsPort, `${s.service} metrics`).set(s.httpPort, `daprd-${s.service}`)
        .set(s.grpc, `daprd-${s.service} gRPC`).set(s.internalGrpc, `daprd-${s.service} internal gRPC`);
    }
    const listening = tcpListeners().filter((l) => ours.has(l.port));
    assert.ok(listening.some((l) => l.port === config.actorsPort), 'the actor host listens');
    const open = listening.filter((l) => !isLoopback(l.address)).map((l) => `${ours.get(l.port)} on ${l.address}:${l.port}`);
    assert.deepEqual(open, []);
  });
});
