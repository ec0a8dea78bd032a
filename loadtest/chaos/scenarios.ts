/**
 * The fault of each chaos scenario, injected through the stack's own process management
 * (stack/faults.ts: kill -9 by recorded pid, restart by the stack's `up`). `inject` returns when
 * the fault has healed (the process is back and the stack healthy), or at once for a fault that
 * is never healed (scenario 1).
 */
import { activeActors } from '../stackProbe';
import { extraActorHostSidecars } from '../../stack/services';
import { kill9, restartStopped } from '../../stack/faults';
import { fillDisk, freeDisk, prepareSmallDisk, removeSmallDisk } from './smallDisk';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Scenario {
  id: number;
  key: string;
  title: string;
  /** Actor hosts the stack runs for it. */
  actorHosts: number;
  /** Processes that die or are restarted on purpose (the stack restarts a dead app's sidecar with it). */
  targets: string[];
  /** How long the outage lasts before the stack restarts the process. */
  outageMs: number;
  /** Never healed (scenario 1): the fault lasts until the load ends; lateness and recovery count from the kill. */
  permanent?: boolean;
  prepare?(): Promise<void>;
  /** Injects the fault and heals it; returns notes for the report. */
  inject(outageMs: number): Promise<string[]>;
  cleanup?(): Promise<void>;
}

const killAndRestart = (names: string[]) => async (outageMs: number): Promise<string[]> => {
  for (const n of names) await kill9(n);
  await sleep(outageMs);
  const t0 = Date.now();
  const attempts = await restartStopped();
  const took = `${names.join(' and ')} back and the stack healthy ${((Date.now() - t0) / 1000).toFixed(0)} s after the restart began`;
  return [attempts > 1 ? `${took} (the stack's start failed ${attempts - 1}× and was tried again)` : took];
};

export const SCENARIOS: Scenario[] = [
  {
    id: 1, key: 'actor-host-lost', title: 'ACTOR_HOSTS=2, kill -9 of actor host 2 (app and daprd) for good', actorHosts: 2,
    targets: ['actors-2', 'daprd-actors-2'], outageMs: 0, permanent: true,
    async inject() {
      const host2 = extraActorHostSidecars(2)[0];
      const onHost2 = await activeActors(host2.httpPort).catch(() => -1);
      await kill9('actors-2');
      await kill9('daprd-actors-2');
      return [`${onHost2} UserActors were active on host 2 when it was killed; it is not restarted`];
    },
  },
  {
    id: 2, key: 'actor-daprd', title: "kill -9 of the actor host's daprd, restarted by the stack", actorHosts: 1,
    targets: ['daprd-actors'], outageMs: 0, inject: killAndRestart(['daprd-actors']),
  },
  {
    id: 3, key: 'postgres', title: 'kill -9 of PostgreSQL, restarted after 10 s', actorHosts: 1,
    targets: ['postgres'], outageMs: 10_000, inject: killAndRestart(['postgres']),
  },
  {
    id: 4, key: 'kafka', title: 'kill -9 of the Kafka broker, restarted after 10 s', actorHosts: 1,
    targets: ['kafka'], outageMs: 10_000, inject: killAndRestart(['kafka']),
  },
  {
    id: 5, key: 'scheduler-placement', title: 'kill -9 of the Dapr scheduler, restarted after 10 s; then of placement, restarted after 10 s', actorHosts: 1,
    targets: ['scheduler', 'placement'], outageMs: 10_000,
    async inject(outageMs) {
      const a = await killAndRestart(['scheduler'])(outageMs);
      await sleep(3000);
      return [...a, ...(await killAndRestart(['placement'])(outageMs))];
    },
  },
  {
    id: 6, key: 'gateway-subscribers', title: 'kill -9 of the gateway and of the subscribers, restarted by the stack', actorHosts: 1,
    targets: ['gateway', 'subscribers', 'daprd-gateway', 'daprd-subscribers'], outageMs: 0, inject: killAndRestart(['gateway', 'subscribers']),
  },
  {
    id: 7, key: 'disk-full', title: "PostgreSQL's tables on a full disk (a 64 MiB tmpfs tablespace) for 10 s, then space freed", actorHosts: 1,
    targets: [], outageMs: 10_000,
    prepare: prepareSmallDisk,
    async inject(outageMs) {
      const filled = await fillDisk();
      await sleep(outageMs);
      await freeDisk();
      return [`filled the tablespace's file system with ${(filled / 1048576).toFixed(1)} MiB`];
    },
    cleanup: removeSmallDisk,
  },
  {
    // The certificate authority of the mTLS between sidecars (issue 21): the sidecars running hold
    // their workload certificates, but a daprd that starts while sentry is away cannot get one.
    id: 8, key: 'sentry', title: "kill -9 of Dapr sentry and of the actor host's daprd (which needs a certificate from it to start), restarted after 10 s", actorHosts: 1,
    targets: ['sentry', 'daprd-actors'], outageMs: 10_000, inject: killAndRestart(['sentry', 'daprd-actors']),
  },
];

export function scenariosNamed(only: string | undefined): Scenario[] {
  if (!only) return SCENARIOS;
  const want = only.split(',').map((s) => s.trim()).filter(Boolean);
  const out = SCENARIOS.filter((s) => want.includes(String(s.id)) || want.includes(s.key));
  const unknown = want.filter((w) => !SCENARIOS.some((s) => String(s.id) === w || s.key === w));
  if (unknown.length) throw new Error(`unknown chaos scenario ${unknown.join(', ')}: one of ${SCENARIOS.map((s) => `${s.id} (${s.key})`).join(', ')}`);
  return out;
}
