/**
 * The shared kit of the node benches (apiBench, reminderBench, chatBench, eventsBench) and the
 * suite: statistics over runs, the load generator's HTTP client and loop, bench users with
 * tokens, the stack's process groups for CPU accounting, and the results file. Nothing here runs
 * a bench; the suite (suite/index.ts) dispatches them, and resultsMd.ts is the one writer of
 * RESULTS.md.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../common/config';
import { httpRequest } from '../common/httpClient';
import { REPO_ROOT } from '../stack/paths';
import { readState } from '../stack/stackState';
import { tokenFor } from '../stack/testSupport';
import { coresUsed, cpuSecondsByGroup } from './processCpu';

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], min: s[0], max: s[s.length - 1] };
}

/** Each key of the runs summarized over the runs (the keys of the first run). */
export function summarizeRuns(runs: Array<Record<string, number>>): Record<string, Summary> {
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, summarize(runs.map((r) => r[k]))]));
}

/** The command that was run, as RESULTS.md and the results files quote it. */
export const benchCommand = (args: string[]): string => `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;

/** The load generator's client: node:http with keep-alive, cheaper than fetch on this machine. */
export function gateway(method: string, path: string, auth: string, body?: string) {
  const headers: Record<string, string> = { authorization: auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return httpRequest({ port: config.gatewayPort, method, path, headers, body, timeoutMs: 30_000 });
}

/** The stack's process groups (from its state file), for CPU and memory accounting. */
export function stackGroups(): Map<number, string> {
  return new Map((readState()?.processes ?? []).map((p) => [p.pid, p.name]));
}

export interface RunResult {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Cores each process used during the run (1.0 = one core busy all the time). */
  cores: Record<string, number>;
}

/** Runs `workers` loops calling `request` until `seconds` have passed; latencies in ms, cores used per process. */
export async function load(seconds: number, workers: number, request: (worker: number) => Promise<boolean>): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  const groups = stackGroups();
  const cpuBefore = cpuSecondsByGroup(groups);
  const selfBefore = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < deadline) {
      const s = performance.now();
      const ok = await request(w).catch(() => false);
      latencies.push(performance.now() - s);
      if (!ok) errors++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const cores = coresUsed(cpuBefore, cpuSecondsByGroup(groups), elapsed);
  const self = process.cpuUsage(selfBefore);
  cores['load generator'] = (self.user + self.system) / 1e6 / elapsed;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds: elapsed, throughput: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cores };
}

/** `n` fresh users (`prefix-<random>`) with a bearer token each. */
export async function users(n: number, prefix: string): Promise<Array<{ id: string; auth: string }>> {
  return Promise.all(Array.from({ length: n }, async () => {
    const id = `${prefix}-${randomUUID().slice(0, 8)}`;
    return { id, auth: `Bearer ${await tokenFor(id)}` };
  }));
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'loadtest', 'results');

/** Writes `loadtest/results/<prefix><date>.json` (the suite folds the files of its run into its own); returns the path. */
export function writeResultsFile(prefix: string, date: string, report: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${prefix}${date.slice(0, 19).replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
