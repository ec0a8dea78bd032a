/**
 * Runs one k6 script against the stack: writes the run's data (users, tokens, URLs) to a JSON file
 * in the cache, starts k6 in a process group of its own (so its CPU is accounted for like the
 * stack's processes), and returns k6's summary together with the cores and memory every process
 * used over the run. k6 exits 99 when a threshold is missed: that is a result, not a failure.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { paths, REPO_ROOT } from '../../stack/paths';
import { stackGroups } from '../kit';
import { coresUsed, cpuSecondsByGroup } from '../processCpu';
import { memoryByGroup, type Memory } from '../processMemory';
import { busyCpuSeconds } from '../machine';

export interface K6Metric {
  type: string;
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Summary {
  metrics: Record<string, K6Metric>;
  state?: { testRunDurationMs?: number };
}

export interface K6Result {
  summary: K6Summary;
  /** k6's exit code: 0 all thresholds met, 99 some missed. */
  exitCode: number;
  seconds: number;
  /** Cores used per process over the window (the load generator is "k6"); "other" is the rest of the machine. */
  cores: Record<string, number>;
  /** Memory per process at the end of the window (empty when no window was given). */
  memory: Record<string, Memory>;
  command: string;
  log: string;
}

export const K6_DIR = path.join(REPO_ROOT, 'loadtest', 'k6');
export const benchDir = () => path.join(paths.cache, 'bench');

export function missedThresholds(s: K6Summary): string[] {
  const out: string[] = [];
  for (const [name, m] of Object.entries(s.metrics)) {
    for (const [expr, t] of Object.entries(m.thresholds ?? {})) if (!t.ok) out.push(`${name}: ${expr}`);
  }
  return out;
}

/**
 * A figure from the summary: metric (with its tag selector, e.g. "http_reqs{endpoint:create}") and
 * stat ("p(99)", "count", "rate"); NaN when absent, and for a trend without samples (k6 reports 0).
 */
export function stat(s: K6Summary, metric: string, key: string): number {
  const m = s.metrics[metric];
  if (m?.type === 'trend' && key !== 'count' && m.values.count === 0) return Number.NaN;
  const v = m?.values[key];
  return typeof v === 'number' ? v : Number.NaN;
}

interface Sample {
  cpu: Map<string, number>;
  busy: number;
  at: number;
}

interface Window {
  /** Seconds after k6 starts at which the CPU window opens and closes (default: the whole run). */
  fromS: number;
  toS: number;
}

export async function runK6(opts: {
  k6: string;
  script: string;
  label: string;
  env: Record<string, string | number>;
  data: unknown;
  window?: Window;
  /** The process groups whose CPU is counted (default: the stack's; the peer bench passes the peer's). */
  groups?: Map<number, string>;
}): Promise<K6Result> {
  fs.mkdirSync(benchDir(), { recursive: true });
  const dataFile = path.join(benchDir(), `${opts.label}.data.json`);
  const summaryFile = path.join(benchDir(), `${opts.label}.summary.json`);
  const log = path.join(benchDir(), `${opts.label}.log`);
  fs.writeFileSync(dataFile, JSON.stringify(opts.data));
  fs.rmSync(summaryFile, { force: true });
  const envArgs = Object.entries(opts.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const args = ['run', '--no-usage-report', '--no-color', '-e', `BENCH_DATA=${dataFile}`, '-e', `SUMMARY_FILE=${summaryFile}`, ...envArgs, path.join(K6_DIR, opts.script)];
  const command = `k6 run ${envArgs.join(' ')} loadtest/k6/${opts.script}`.replace(/\s+/g, ' ');

  const out = fs.openSync(log, 'w');
  const child = spawn(opts.k6, args, { cwd: REPO_ROOT, stdio: ['ignore', out, out], detached: true, env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  fs.closeSync(out);
  const stopChild = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', stopChild);

  const groups = new Map(opts.groups ?? stackGroups());
  if (child.pid) groups.set(child.pid, 'k6');
  // CPU is sampled every second while k6 runs (about 5 ms of CPU a sample), and the window ends at
  // the last sample taken while k6 was still alive (an ended process's CPU time is gone from /proc).
  // Memory costs ~50 ms of CPU to read (smaps_rollup), so it is read once, at the window's end, and
  // only when a window is given.
  const t0 = performance.now();
  const sample = (): Sample => ({ cpu: cpuSecondsByGroup(groups), busy: busyCpuSeconds(), at: performance.now() });
  const fromS = opts.window?.fromS ?? 0;
  const toS = opts.window?.toS ?? Number.POSITIVE_INFINITY;
  let before: Sample | undefined = fromS === 0 ? sample() : undefined;
  let last: Sample | undefined;
  let memory = new Map<string, Memory>();
  let running = true;
  const ticker = setInterval(() => {
    const t = (performance.now() - t0) / 1000;
    if (!running || t > toS + 1) return;
    const s = sample();
    if (!before && t >= fromS) before = s;
    else if (before) last = s;
    if (t >= toS && opts.window && memory.size === 0) memory = memoryByGroup(groups);
  }, 1000);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = false;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  clearInterval(ticker);
  process.removeListener('exit', stopChild);
  const seconds = (performance.now() - t0) / 1000;
  if (exitCode !== 0 && exitCode !== 99) {
    throw new Error(`k6 ${opts.script} exited with ${exitCode}; its log: ${log}\n${fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
  if (!before || !last) throw new Error(`k6 ${opts.script} ended before its measuring window (${fromS}–${toS} s) had two samples; its log: ${log}`);
  const end = last;
  const elapsed = (end.at - before.at) / 1000;
  const cores = coresUsed(before.cpu, end.cpu, elapsed);
  const ours = Object.values(cores).reduce((a, b) => a + b, 0);
  cores.other = Math.max(0, (end.busy - before.busy) / elapsed - ours);
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as K6Summary;
  return { summary, exitCode, seconds, cores, memory: Object.fromEntries(memory), command, log };
}
