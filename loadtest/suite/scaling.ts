/**
 * How throughput scales from 1 to 2 actor-host processes on this machine: the stack is restarted
 * with ACTOR_HOSTS=2 (a second actor host with its own daprd, same app id), the create and list
 * throughput runs are repeated, and Dapr's metadata shows how placement spread the actors over
 * the two hosts. The 1-host figures are the throughput scenario's, measured earlier in the same
 * suite run. The stack is put back to the actor hosts it had.
 */
import { config } from '../../common/config';
import { up } from '../../stack/stack';
import { extraActorHostSidecars, sidecars } from '../../stack/services';
import { say } from '../../stack/progress';
import { activeActors } from '../stackProbe';
import type { SuiteContext } from './context';
import { ratio, type Figure, type ScenarioResult } from './figures';
import { missedThresholds, type K6Result } from './k6Run';
import { coresOf, throughputFigures, throughputRuns } from './scenarios';

/** Restarts the services with n actor hosts (the stack restarts them when ACTOR_HOSTS changes). */
export async function useActorHosts(n: number): Promise<void> {
  if (config.actorHosts === n && process.env.ACTOR_HOSTS === String(n)) return;
  process.env.ACTOR_HOSTS = String(n);
  (config as { actorHosts: number }).actorHosts = n;
  say(`▶ bench: restarting the services with ${n} actor host${n > 1 ? 's' : ''}`);
  await up();
}

export async function scalingScenario(ctx: SuiteContext, oneHost: { create: K6Result[]; list: K6Result[] }): Promise<ScenarioResult> {
  const hostsBefore = config.actorHosts;
  let two: { create: K6Result[]; list: K6Result[] };
  let spread: number[];
  try {
    await useActorHosts(2);
    await new Promise((r) => setTimeout(r, 3000)); // placement's tables reach every sidecar
    two = { create: await throughputRuns(ctx, 'create', '2 hosts'), list: await throughputRuns(ctx, 'list', '2 hosts') };
    spread = await Promise.all([sidecars().actors, ...extraActorHostSidecars()].map((s) => activeActors(s.httpPort)));
  } finally {
    await useActorHosts(hostsBefore);
  }
  const label = (tag: string) => (f: Figure): Figure => ({ ...f, label: `${tag}: ${f.label}` });
  const f1 = [...throughputFigures('scaling.1', 'create', oneHost.create), ...throughputFigures('scaling.1', 'list', oneHost.list)].map(label('1 host'));
  const f2 = [...throughputFigures('scaling.2', 'create', two.create), ...throughputFigures('scaling.2', 'list', two.list)].map(label('2 hosts'));
  const byId = (fs: Figure[], id: string) => fs.find((f) => f.id === id)!;
  const share = spread[1] / (spread[0] + spread[1]);
  return {
    name: 'scaling', title: 'From 1 to 2 actor-host processes',
    setup: `ACTOR_HOSTS=2: a second actor host (todo-actors) with its own daprd, same app id, started by the local stack; the create and list throughput runs (32 VUs) repeated; 1-host figures from the throughput scenario of the same suite run. Runs are paired by index for the ratios, not interleaved in time`,
    commands: [`ACTOR_HOSTS=2 npm run stack -- up`, two.create[0].command, two.list[0].command],
    figures: [
      byId(f1, 'scaling.1.create.rps'), byId(f2, 'scaling.2.create.rps'),
      ratio('scaling.createRatio', 'creates/s, 2 hosts / 1 host', byId(f2, 'scaling.2.create.rps'), byId(f1, 'scaling.1.create.rps')),
      byId(f1, 'scaling.1.list.rps'), byId(f2, 'scaling.2.list.rps'),
      ratio('scaling.listRatio', 'lists/s, 2 hosts / 1 host', byId(f2, 'scaling.2.list.rps'), byId(f1, 'scaling.1.list.rps')),
      byId(f1, 'scaling.1.create.p99'), byId(f2, 'scaling.2.create.p99'),
      byId(f1, 'scaling.1.create.cpuMsPerRequest'), byId(f2, 'scaling.2.create.cpuMsPerRequest'),
      byId(f1, 'scaling.1.list.cpuMsPerRequest'), byId(f2, 'scaling.2.list.cpuMsPerRequest'),
      byId(f1, 'scaling.1.create.otherCores'), byId(f2, 'scaling.2.create.otherCores'),
    ],
    thresholdsMissed: [...two.create, ...two.list].map((r) => missedThresholds(r.summary)),
    cores: coresOf([...two.create, ...two.list]),
    notes: [`Placement spread the actors over both hosts: after the 2-host runs Dapr's metadata counted ${spread[0]} active UserActors on host 1 and ${spread[1]} on host 2 (${(100 * share).toFixed(0)} % on host 2).`],
  };
}
