/**
 * Soak (k6 scenario 5): the mixed workload at a moderate fixed rate for a long time (30 minutes by
 * default, opt-in with --soak; a short one in --quick), with reminders firing and devices
 * listening. Meanwhile the runner samples every process's memory, the consumer lag of every
 * group, the outbox (unpublished rows, all rows, bytes) and the active actors. The run is cut
 * into three equal windows; each figure is the median (min–max) over the windows, so a leak shows
 * as memory that grows in every window, not only while the process warms up.
 */
import { config } from '../../common/config';
import { say } from '../../stack/progress';
import { sidecars } from '../../stack/services';
import { memoryByGroup } from '../processMemory';
import { activeActors, consumerLag, outboxSize } from '../stackProbe';
import { k6Data } from './benchUsers';
import type { SuiteContext } from './context';
import { figure, type Figure, type ScenarioResult } from './figures';
import { missedThresholds, runK6, stat } from './k6Run';
import { stackGroups } from '../kit';

export interface SoakSample {
  t: number;
  pssMiB: Record<string, number>;
  lag: number;
  outboxUnpublished: number;
  outboxRows: number;
  outboxMiB: number;
  actors: number;
}

/** Least-squares slope of y over x (per unit of x); NaN with fewer than two points. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** The samples cut into `k` windows of equal time. */
export function windows<T extends { t: number }>(samples: T[], k: number, total: number): T[][] {
  return Array.from({ length: k }, (_, i) => samples.filter((s) => s.t >= (i * total) / k && s.t < ((i + 1) * total) / k));
}

/** What the actor hosts do with published outbox rows in this run (the suite sets OUTBOX_RETENTION_MS before the stack starts). */
function retentionText(): string {
  const ms = Number(process.env.OUTBOX_RETENTION_MS || config.outboxRetentionMs);
  return ms === 0 ? 'OUTBOX_RETENTION_MS=0: published rows are kept' : `rows published over ${ms / 60_000} min ago are deleted`;
}

const WATCHED = ['gateway', 'daprd-gateway', 'actors', 'daprd-actors', 'subscribers', 'daprd-subscribers', 'kafka', 'postgres', 'placement', 'scheduler'];

export async function soakScenario(ctx: SuiteContext, minutes: number): Promise<ScenarioResult> {
  const seconds = Math.round(minutes * 60);
  const rate = 30;
  const every = Math.max(2, Math.min(30, seconds / 20));
  const samples: SoakSample[] = [];
  const groups = stackGroups();
  const t0 = Date.now();
  const sample = async () => {
    const mem = memoryByGroup(groups);
    const lag = Object.values(await consumerLag(config.subscribersMetricsPort).catch(() => ({}))).reduce((a, b) => a + b, 0);
    const ob = await outboxSize(ctx.pool);
    samples.push({
      t: (Date.now() - t0) / 1000,
      pssMiB: Object.fromEntries([...mem].map(([k, v]) => [k, v.pss / 2 ** 20])),
      lag, outboxUnpublished: ob.unpublished, outboxRows: ob.rows, outboxMiB: ob.bytes / 2 ** 20,
      actors: await activeActors(sidecars().actors.httpPort).catch(() => Number.NaN),
    });
  };
  say(`▶ bench: k6 soak, ${minutes} min at ${rate} req/s (mixed workload, reminders, 50 devices); sampling every ${every} s`);
  let sampling = Promise.resolve();
  const timer = setInterval(() => { sampling = sampling.then(sample).catch(() => undefined); }, every * 1000);
  await sample();
  const r = await runK6({ k6: ctx.k6, script: 'soak.js', label: ctx.label('soak', 1), env: { DURATION_S: seconds, RATE: rate, DEVICES: 50 }, data: k6Data(ctx.users) })
    .finally(() => clearInterval(timer));
  await sampling;
  await sample();
  const ws = windows(samples, 3, seconds + 1);
  const perWindow = (fn: (w: SoakSample[]) => number) => ws.map((w) => (w.length ? fn(w) : Number.NaN));
  const perMin = (w: SoakSample[], y: (s: SoakSample) => number) => slope(w.map((s) => s.t / 60), w.map(y));
  const memFigures: Figure[] = WATCHED.map((p) => figure(`soak.growth.${p}`, `${p} PSS growth`, 'MiB/min', perWindow((w) => perMin(w, (s) => s.pssMiB[p] ?? Number.NaN))));
  return {
    name: 'soak', title: `Soak: ${minutes} minutes at ${rate} req/s (k6 scenario 5)`,
    setup: `the mixed workload at ${rate} requests/s for ${minutes} min over ${ctx.users.length} users, half of the creates with a reminder 30 s ahead, 50 devices listening; every ${every} s the runner samples each process's memory (PSS), the consumer lag of the audit and notifications groups, the outbox and the active actors. One run, cut into three windows of equal length: figures are median (min–max) over the windows; memory growth is the least-squares slope within each window`,
    commands: [r.command],
    figures: [
      ...memFigures,
      figure('soak.lag.max', 'consumer lag, largest sample', 'events', perWindow((w) => Math.max(...w.map((s) => s.lag)))),
      figure('soak.outbox.unpublished', 'outbox rows not yet published, largest sample', 'rows', perWindow((w) => Math.max(...w.map((s) => s.outboxUnpublished)))),
      figure('soak.outbox.rowsPerMin', `outbox table growth (${retentionText()})`, 'rows/min', perWindow((w) => perMin(w, (s) => s.outboxRows))),
      figure('soak.outbox.rows', 'outbox rows at the window end', 'rows', perWindow((w) => w[w.length - 1].outboxRows)),
      figure('soak.outbox.mibPerMin', 'outbox table size growth (deleted rows leave space that later rows reuse)', 'MiB/min', perWindow((w) => perMin(w, (s) => s.outboxMiB))),
      figure('soak.actors', 'active UserActors at the window end', '', perWindow((w) => w[w.length - 1].actors)),
      figure('soak.p95', 'p95 over the whole run (one value)', 'ms', [stat(r.summary, 'http_req_duration', 'p(95)')]),
      figure('soak.errors', 'failed requests over the whole run (one value)', '%', [100 * stat(r.summary, 'http_req_failed', 'rate')]),
      figure('soak.sync.p99', 'device sync p99 over the whole run (one value)', 'ms', [stat(r.summary, 'soak_sync_ms', 'p(99)')]),
    ],
    thresholdsMissed: [missedThresholds(r.summary)],
    notes: [`${samples.length} samples; raw samples in the results JSON`],
    extra: { samples },
  };
}
