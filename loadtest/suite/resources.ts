/**
 * Resource cost: CPU and memory of every process at a fixed load (the mixed workload at 50
 * requests/s), and the memory one active UserActor costs its host and its
 * sidecar (N thousand fresh actors activated with one call each, memory and Dapr's active actor
 * count before and after).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../common/config';
import { paths } from '../../stack/paths';
import { USER_ACTOR_TYPE } from '../../common/actorApi';
import { httpRequest } from '../../common/httpClient';
import { sidecars } from '../../stack/services';
import { memoryByGroup } from '../processMemory';
import { activeActors } from '../stackProbe';
import { benchUsers, k6Data, type BenchUser } from './benchUsers';
import { repeat, type SuiteContext } from './context';
import { figure, type ScenarioResult } from './figures';
import { missedThresholds, runK6, stat } from './k6Run';
import { stackGroups } from '../kit';
import { coresOf, costFigures, memoryOf } from './scenarios';
import { inParallel, sidecarHeaders } from '../../stack/testSupport';

/** A moderate load, well under what the machine can do (the mixed workload's closed-model throughput), so costs are not those of a saturated machine. */
export const FIXED_RATE = 50;

export async function fixedLoadScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const seconds = ctx.quick ? 6 : 20;
  const rs = await repeat(ctx, `k6 mixed workload at a fixed ${FIXED_RATE} req/s for ${seconds} s (resource cost)`, (i) =>
    runK6({ k6: ctx.k6, script: 'mixed.js', label: ctx.label('fixed', i), env: { RATE: FIXED_RATE, DURATION: `${seconds}s`, VUS: 32 },
      data: k6Data(ctx.users), window: { fromS: 2, toS: seconds - 0.5 } }));
  const s = rs.map((r) => r.summary);
  const rps = s.map((x) => stat(x, 'http_reqs', 'rate'));
  return {
    name: 'fixed', title: `Resource cost at a fixed load (${FIXED_RATE} req/s, mixed workload)`,
    setup: `the mixed workload (same users and mix as scenario 1) at a constant arrival rate of ${FIXED_RATE} requests/s for ${seconds} s; CPU per process from /proc over the run minus its first 2 s; memory (RSS; PSS, which shares shared pages fairly) at the end`,
    commands: [rs[0].command],
    figures: [
      figure('fixed.rps', 'requests/s achieved', 'req/s', rps),
      figure('fixed.p95', 'p95, all endpoints', 'ms', s.map((x) => stat(x, 'http_req_duration', 'p(95)'))),
      figure('fixed.p99', 'p99, all endpoints', 'ms', s.map((x) => stat(x, 'http_req_duration', 'p(99)'))),
      figure('fixed.errors', 'failed requests', '%', s.map((x) => 100 * stat(x, 'http_req_failed', 'rate'))),
      ...costFigures('fixed', rs, rps),
    ],
    thresholdsMissed: s.map(missedThresholds),
    cores: coresOf(rs),
    memoryMiB: memoryOf(rs),
    notes: [],
  };
}

/** 0 … n-1, for inParallel over a count. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

export async function actorMemoryScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const n = ctx.quick ? 300 : 3000;
  const sc = sidecars().actors;
  const runs = await repeat(ctx, `activating ${n} fresh UserActors (one call each) for memory per actor`, async () => {
    const groups = stackGroups();
    const before = memoryByGroup(groups);
    const a0 = await activeActors(sc.httpPort);
    const run = randomUUID().slice(0, 6);
    const t0 = performance.now();
    let failed = 0;
    await inParallel(upTo(n), 16, async (i) => {
      const res = await httpRequest({ port: sc.httpPort, method: 'POST', path: `/v1.0/actors/${USER_ACTOR_TYPE}/bench-actor-${run}-${i}/method/getTask`,
        headers: { 'content-type': 'application/json', ...sidecarHeaders('actors') }, body: '{"taskId":"none"}', timeoutMs: 30_000 });
      if (res.status >= 300) failed++;
    });
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 3000)); // let the calls' garbage go before measuring
    const after = memoryByGroup(groups);
    const activated = (await activeActors(sc.httpPort)) - a0;
    const per = (name: string) => ((after.get(name)?.rss ?? 0) - (before.get(name)?.rss ?? 0)) / 1024 / activated;
    return { activated, failed, perSecond: n / seconds, host: per('actors'), daprd: per('daprd-actors') };
  });
  return {
    name: 'actors', title: 'Memory per active actor',
    setup: `per run, ${n} UserActors never used before get one call each (getTask, through the actor host's sidecar, 16 at a time); RSS of the actor host and of its daprd before and 3 s after, divided by the growth of Dapr's active UserActor count (GET /v1.0/metadata). Actors stay active for the idle timeout (1 h), so each run adds ${n} to the previous ones`,
    commands: ['(in the runner) POST http://127.0.0.1:$ACTORS_DAPR_HTTP_PORT/v1.0/actors/UserActor/<new id>/method/getTask ×' + n],
    figures: [
      figure('actors.activated', 'active UserActors added (Dapr metadata)', '', runs.map((r) => r.activated)),
      figure('actors.failed', 'calls that failed', '', runs.map((r) => r.failed)),
      figure('actors.perSecond', 'activations/s (16 concurrent calls)', '/s', runs.map((r) => r.perSecond)),
      figure('actors.hostKiB', 'actor host (node) RSS per active actor', 'KiB', runs.map((r) => r.host)),
      figure('actors.daprdKiB', 'its daprd RSS per active actor', 'KiB', runs.map((r) => r.daprd)),
      figure('actors.totalKiB', 'together', 'KiB', runs.map((r) => r.host + r.daprd)),
    ],
    thresholdsMissed: [],
    notes: [],
  };
}

/** Bytes a directory's files take on disk (allocated blocks), recursively. */
export function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (e.isFile()) n += fs.statSync(p).blocks * 512;
  }
  return n;
}

async function gatewayCall(u: BenchUser, method: string, p: string, body?: unknown): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${u.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return httpRequest({ port: config.gatewayPort, method, path: p, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: 30_000 });
}

/**
 * What a pending reminder costs: N tasks created through the API over 50 users, each with a
 * reminder 30 days ahead (a reminder_schedule row; in the scheduler's etcd, one alarm per user at
 * the user's earliest reminder, actors/userAlarms.ts: 50 jobs for the N); the scheduler's memory
 * and its data directory before and after, per reminder. The tasks are deleted afterwards, which
 * cancels their reminders.
 */
export async function pendingRemindersScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const n = ctx.quick ? 300 : 1000;
  const schedulerData = paths.data('scheduler');
  const runs = await repeat(ctx, `${n} reminders pending 30 days ahead (scheduler memory and disk per reminder)`, async () => {
    const users = await benchUsers(50, 'bench-pending');
    const groups = stackGroups();
    const before = memoryByGroup(groups).get('scheduler');
    const disk0 = dirBytes(schedulerData);
    const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created: Array<{ u: BenchUser; id: string }> = [];
    let failed = 0;
    const t0 = performance.now();
    await inParallel(upTo(n), 32, async (i) => {
      const u = users[i % users.length];
      const res = await gatewayCall(u, 'POST', '/v1/tasks', { title: `pending ${i}`, reminders: [{ at }] });
      if (res.status === 201) created.push({ u, id: (JSON.parse(res.body) as { id: string }).id });
      else failed++;
    });
    const perSecond = created.length / ((performance.now() - t0) / 1000);
    await new Promise((r) => setTimeout(r, 3000)); // reminders are mirrored to Dapr after the commit
    const after = memoryByGroup(groups).get('scheduler');
    const disk1 = dirBytes(schedulerData);
    await inParallel(upTo(created.length), 32, async (i) => {
      await gatewayCall(created[i].u, 'DELETE', `/v1/tasks/${created[i].id}`);
    });
    return {
      failed, perSecond,
      pss: ((after?.pss ?? 0) - (before?.pss ?? 0)) / 1024 / created.length,
      rss: ((after?.rss ?? 0) - (before?.rss ?? 0)) / 1024 / created.length,
      disk: (disk1 - disk0) / 1024 / created.length,
    };
  });
  return {
    name: 'pending', title: 'Memory and disk per pending reminder',
    setup: `per run, ${n} tasks created through POST /v1/tasks (32 at a time), each with one reminder 30 days ahead (one Dapr alarm per user, at the user's earliest reminder: 50 scheduler jobs since eabad78); the Dapr scheduler's memory and its etcd data directory before and 3 s after, per reminder; the tasks are deleted afterwards (which cancels the reminders)`,
    commands: [`(in the runner) POST /v1/tasks {"reminders":[{"at":"<30 days ahead>"}]} ×${n}`],
    figures: [
      figure('pending.createsPerS', 'creates with a reminder, per second (32 concurrent)', '/s', runs.map((r) => r.perSecond)),
      figure('pending.failed', 'creates that failed', '', runs.map((r) => r.failed)),
      figure('pending.schedulerPssKiB', 'scheduler PSS per pending reminder', 'KiB', runs.map((r) => r.pss)),
      figure('pending.schedulerRssKiB', 'scheduler RSS per pending reminder', 'KiB', runs.map((r) => r.rss)),
      figure('pending.diskKiB', "scheduler's etcd data directory per pending reminder", 'KiB', runs.map((r) => r.disk)),
    ],
    thresholdsMissed: [],
    notes: [],
  };
}
