/**
 * The gateway's hop to its own daprd, over HTTP (common/httpClient.ts, what gateway/daprClient.ts
 * uses) and over gRPC (the Dapr JS SDK's actor client, InvokeActor on the sidecar's gRPC port):
 * CPU time per call of the caller (this process, standing in for the gateway) and of the
 * gateway's daprd, for listTasks of users with 20 tasks each, 32 calls in flight. The rest of
 * the path (the actor host's daprd, the actor host, PostgreSQL) is the same for both.
 *
 * With the local stack up (`npm run stack -- up`):
 *   node dist/loadtest/sidecarProtocolBench.js [CALLS_PER_RUN]
 * It seeds users bench-hop-0..31 (20 tasks each, idempotent), then runs HTTP and gRPC alternately,
 * 3 runs of each, and prints each run and the medians as JSON.
 */
import { ActorId, CommunicationProtocolEnum, DaprClient, LogLevel } from '@dapr/dapr';
import ActorClientGRPC from '@dapr/dapr/actors/client/ActorClient/ActorClientGRPC';
import { actorMethodPath, USER_ACTOR_TYPE, type CreateTaskRequest, type ListTasksRequest, type ListTasksResult } from '../common/actorApi';
import { httpRequest } from '../common/httpClient';
import { stackCredentials } from '../stack/credentials';
import { inParallel, sidecarHeaders } from '../stack/testSupport';
import { sidecars } from '../stack/services';
import { readState } from '../stack/stackState';
import { median } from './chaos/report';
import { cpuSecondsByGroup } from './processCpu';

const USERS = 32;
const TASKS_PER_USER = 20;
const IN_FLIGHT = 32;
const RUNS = 3;

interface Run {
  protocol: 'http' | 'grpc';
  callsPerSecond: number;
  callerCpuMsPerCall: number;
  daprdCpuMsPerCall: number;
}

const user = (i: number) => `bench-hop-${i % USERS}`;
const caller = { timezone: 'UTC', zoneGiven: false };
const listRequest: ListTasksRequest = { query: { limit: '20' }, caller };

function checkList(r: ListTasksResult): void {
  if (!r.ok || r.items.length !== TASKS_PER_USER) throw new Error(`unexpected list answer: ${JSON.stringify(r).slice(0, 300)}`);
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 6000);
  if (!Number.isInteger(calls) || calls < 100) throw new Error('CALLS_PER_RUN must be an integer of at least 100');
  const daprd = readState()?.processes.find((p) => p.name === 'daprd-gateway');
  if (!daprd) throw new Error('the local stack is not up (npm run stack -- up)');
  const sc = sidecars().gateway;
  const http = async <T>(userId: string, method: 'createTask' | 'listTasks', body: unknown): Promise<T> => {
    const res = await httpRequest({
      port: sc.httpPort, method: 'POST', path: actorMethodPath(userId, method), body: JSON.stringify(body), timeoutMs: 10_000,
      headers: { 'content-type': 'application/json', ...sidecarHeaders('gateway') },
    });
    if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    return JSON.parse(res.body) as T;
  };
  for (let u = 0; u < USERS; u++) {
    for (let t = 0; t < TASKS_PER_USER; t++) {
      const req: CreateTaskRequest = { input: { title: `task ${t}` }, idempotencyKey: `bench-hop-${t}`, caller };
      await http(user(u), 'createTask', req);
    }
  }
  const grpcClient = new DaprClient({
    daprHost: '127.0.0.1', daprPort: String(sc.grpc), communicationProtocol: CommunicationProtocolEnum.GRPC, daprApiToken: stackCredentials().gateway.daprToken,
    logger: { level: LogLevel.Error }, // stdout is the JSON only
  });
  const grpc = new ActorClientGRPC(grpcClient.daprClient as ConstructorParameters<typeof ActorClientGRPC>[0]);
  const viaProtocol = {
    http: async (i: number) => checkList(await http<ListTasksResult>(user(i), 'listTasks', listRequest)),
    grpc: async (i: number) => checkList((await grpc.invoke(USER_ACTOR_TYPE, new ActorId(user(i)), 'listTasks', listRequest)) as ListTasksResult),
  };
  const callIndexes = Array.from({ length: calls }, (_, i) => i);
  const daprdCpu = () => cpuSecondsByGroup(new Map([[daprd.pid, 'daprd']])).get('daprd') ?? 0;
  const run = async (protocol: 'http' | 'grpc'): Promise<Run> => {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const d0 = daprdCpu();
    await inParallel(callIndexes, IN_FLIGHT, viaProtocol[protocol]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return {
      protocol,
      callsPerSecond: Math.round(calls / seconds),
      callerCpuMsPerCall: +((c.user + c.system) / 1000 / calls).toFixed(3),
      daprdCpuMsPerCall: +(((daprdCpu() - d0) * 1000) / calls).toFixed(3),
    };
  };
  await run('http'); // warm-up: connections, JIT, the actors' activation
  await run('grpc');
  const runs: Run[] = [];
  for (let k = 0; k < RUNS; k++) runs.push(await run('http'), await run('grpc'));
  const medians = (['http', 'grpc'] as const).map((protocol) => {
    const of = runs.filter((r) => r.protocol === protocol);
    return {
      protocol,
      callsPerSecond: median(of.map((r) => r.callsPerSecond)),
      callerCpuMsPerCall: median(of.map((r) => r.callerCpuMsPerCall)),
      daprdCpuMsPerCall: median(of.map((r) => r.daprdCpuMsPerCall)),
    };
  });
  console.log(JSON.stringify({ node: process.versions.node, callsPerRun: calls, inFlight: IN_FLIGHT, runs, medians }, null, 2));
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
