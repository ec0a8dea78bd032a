/**
 * `npm run bench`: the task API's throughput and latency through the real local stack (gateway →
 * its daprd → the actor host's daprd → UserActor → PostgreSQL), three runs of each scenario,
 * reported as the median with min and max. Writes loadtest/results/<date>.json and the table
 * between the bench markers in loadtest/RESULTS.md. `--quick` runs shorter scenarios.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { config } from '../common/config';
import { httpRequest } from '../common/httpClient';
import { createPool, inTransaction } from '../common/db/pool';
import { insertTask } from '../actors/taskStore';
import { newTask } from '../actors/taskCommands';
import { DAPR_VERSION, KAFKA_VERSION, REPO_ROOT } from '../stack/paths';
import { say } from '../stack/progress';
import { tokenFor } from '../stack/testSupport';
import { readState } from '../stack/stackState';
import { coresUsed, cpuSecondsByGroup } from './processCpu';
import { runReminderBench, type ReminderBenchResult } from './reminderBench';
import { runChatBench } from './chatBench';
import { runRecurrenceBench } from './recurrenceBench';
import { runEventsBench } from './eventsBench';

interface RunResult {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Cores each process used during the run (1.0 = one core busy all the time). */
  cores: Record<string, number>;
}

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

/** The load generator's client: node:http with keep-alive, cheaper than fetch on this machine. */
export function gateway(method: string, path: string, auth: string, body?: string) {
  const headers: Record<string, string> = { authorization: auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return httpRequest({ port: config.gatewayPort, method, path, headers, body, timeoutMs: 30_000 });
}

/** The stack's process groups (from its state file), for CPU accounting. */
function stackGroups(): Map<number, string> {
  return new Map((readState()?.processes ?? []).map((p) => [p.pid, p.name]));
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

export async function users(n: number, prefix: string): Promise<Array<{ id: string; auth: string }>> {
  return Promise.all(Array.from({ length: n }, async () => {
    const id = `${prefix}-${randomUUID().slice(0, 8)}`;
    return { id, auth: `Bearer ${await tokenFor(id)}` };
  }));
}

async function seed(pool: Pool, userId: string, n: number): Promise<void> {
  await inTransaction(pool, async (tx) => {
    for (let i = 0; i < n; i++) await insertTask(tx, userId, newTask({ title: `seeded ${i}`, priority: 'medium', tags: ['bench'] }, 'UTC', new Date(Date.now() - i * 1000)));
  });
}

/** Per-process figures as flat keys ("cores:gateway"), so runs can be summarized like the others. */
function prefixed(cores: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(cores).map(([k, v]) => [`cores:${k}`, v]));
}

interface Scenario {
  name: string;
  goal: string;
  run: () => Promise<Record<string, number>>;
}

export async function runApiBench(args: string[]): Promise<number> {
  const quick = args.includes('--quick');
  if (args.includes('--chat')) return runChatBench(args);
  if (args.includes('--recurrence')) return runRecurrenceBench(args);
  if (args.includes('--events')) return runEventsBench(args);
  const seconds = quick ? 4 : 15;
  const workers = 32;
  const pool = createPool('bench');
  const creators = await users(200, 'bench-create');
  const listers = await users(20, 'bench-list');
  for (const u of listers) await seed(pool, u.id, 100);

  const scenarios: Scenario[] = [
    {
      name: 'create (POST /v1/tasks, 200 users, 32 connections)', goal: '≥ 1,000 writes/s, p99 ≤ 25 ms',
      run: async () => {
        const r = await load(seconds, workers, async (w) => {
          const u = creators[(w * 7 + Math.floor(Math.random() * 200)) % creators.length];
          const res = await gateway('POST', '/v1/tasks', u.auth, '{"title":"bench task","priority":"high","tags":["bench"]}');
          return res.status === 201;
        });
        return { throughput: r.throughput, p50: r.p50, p99: r.p99, errors: r.errors, requests: r.requests, ...prefixed(r.cores) };
      },
    },
    {
      name: 'list 100 tasks (GET /v1/tasks?limit=100, 20 users × 100 tasks, 32 connections)', goal: '≥ 3,000 lists/s, p99 ≤ 10 ms',
      run: async () => {
        const r = await load(seconds, workers, async (w) => {
          const u = listers[(w + Math.floor(Math.random() * 20)) % listers.length];
          const res = await gateway('GET', '/v1/tasks?limit=100&sort=createdAt', u.auth);
          return res.status === 200 && (JSON.parse(res.body) as { items: unknown[] }).items.length === 100;
        });
        return { throughput: r.throughput, p50: r.p50, p99: r.p99, errors: r.errors, requests: r.requests, ...prefixed(r.cores) };
      },
    },
    {
      name: 'actor activation: first call for a user with 1,000 tasks, minus a warm call', goal: '(no goal set)',
      run: async () => {
        const [u] = await users(1, 'bench-activation');
        await seed(pool, u.id, 1000);
        const call = async () => {
          const s = performance.now();
          const res = await gateway('GET', '/v1/tasks?limit=50', u.auth);
          if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body.slice(0, 200)}`);
          return performance.now() - s;
        };
        const first = await call();
        const warm: number[] = [];
        for (let i = 0; i < 20; i++) warm.push(await call());
        warm.sort((a, b) => a - b);
        return { firstCallMs: first, warmCallMs: percentile(warm, 50), activationMs: first - percentile(warm, 50) };
      },
    },
  ];

  const results: Array<{ name: string; goal: string; runs: Array<Record<string, number>>; summary: Record<string, Summary> }> = [];
  const remindersOnly = args.includes('--reminders');
  for (const sc of remindersOnly ? [] : scenarios) {
    const runs: Array<Record<string, number>> = [];
    for (let i = 1; i <= 3; i++) {
      say(`▶ bench: ${sc.name}, run ${i}/3`);
      runs.push(await sc.run());
      say(`  ${Object.entries(runs[runs.length - 1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    }
    const summary = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, summarize(runs.map((r) => r[k]))]));
    results.push({ name: sc.name, goal: sc.goal, runs, summary });
  }
  const reminders = await runReminderBench(pool, quick);
  await pool.end();
  if (!remindersOnly) await runChatBench(args);

  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const report = {
    date: new Date().toISOString(), command, quick, secondsPerRun: seconds, connections: workers,
    machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model },
    versions: { node: process.version, dapr: DAPR_VERSION, kafka: KAFKA_VERSION, postgres: pgVersion() },
    results,
    reminders,
  };
  const dir = path.join(REPO_ROOT, 'loadtest', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.date.slice(0, 19).replace(/:/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (results.length) writeResultsTable(report);
  writeRemindersTable(report.date, command, reminders);
  say(`results: ${path.relative(REPO_ROOT, file)} and loadtest/RESULTS.md`);
  return 0;
}

function pgVersion(): string {
  try {
    return execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const fmt = (s: Summary, unit: string, digits = 1) => `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

function writeResultsTable(report: { date: string; command: string; secondsPerRun: number; connections: number; machine: { cores: number; memoryGiB: number }; results: Array<{ name: string; goal: string; summary: Record<string, Summary> }> }): void {
  const file = path.join(REPO_ROOT, 'loadtest', 'RESULTS.md');
  const rows = report.results.map((r) => {
    const s = r.summary;
    const cores = Object.entries(s).filter(([k]) => k.startsWith('cores:')).sort((a, b) => b[1].median - a[1].median)
      .map(([k, v]) => `${k.slice(6)} ${v.median.toFixed(2)}`).join(', ');
    const figures = s.throughput
      ? `${fmt(s.throughput, 'req/s', 0)}; p50 ${fmt(s.p50, 'ms')}; p99 ${fmt(s.p99, 'ms')}; errors ${s.errors.median}<br>cores used (median): ${cores}`
      : `first call ${fmt(s.firstCallMs, 'ms')}; warm call ${fmt(s.warmCallMs, 'ms')}; activation ≈ ${fmt(s.activationMs, 'ms')}`;
    return `| ${r.name} | ${figures} | ${r.goal} |`;
  });
  const table = [
    '<!-- bench:api:start -->',
    `Command: \`${report.command}\` (${report.date.slice(0, 16)}Z; ${report.secondsPerRun} s per run, 3 runs per scenario, ${report.connections} keep-alive connections; ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB; the whole stack and the load generator share the machine). Figures: median (min–max) of the 3 runs.`,
    '',
    '| scenario | measured | goal (issue) |',
    '|---|---|---|',
    ...rows,
    '<!-- bench:api:end -->',
  ].join('\n');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Measured results\n';
  const start = text.indexOf('<!-- bench:api:start -->');
  const end = text.indexOf('<!-- bench:api:end -->');
  const next = start >= 0 && end > start
    ? `${text.slice(0, start)}${table}${text.slice(end + '<!-- bench:api:end -->'.length)}`
    : `${text.trimEnd()}\n\n## Task API through the real stack\n\n${table}\n`;
  fs.writeFileSync(file, next);
}

/** Replaces the text between `<!-- bench:NAME:start -->` and its end marker, or appends a section. */
export function replaceSection(name: string, heading: string, body: string): void {
  const file = path.join(REPO_ROOT, 'loadtest', 'RESULTS.md');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Measured results\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  fs.writeFileSync(file, a >= 0 && b > a ? `${text.slice(0, a)}${block}${text.slice(b + end.length)}` : `${text.trimEnd()}\n\n## ${heading}\n\n${block}\n`);
}

function writeRemindersTable(date: string, command: string, r: ReminderBenchResult): void {
  const s = r.summary;
  const ms = (x: Summary) => `${x.median.toFixed(0)} ms (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;
  replaceSection('reminders', 'Reminder lateness through the real stack', [
    `Command: \`${command}\` (${date.slice(0, 16)}Z). ${r.pending.toLocaleString('en')} reminders pending 30 days ahead, then ${r.due.toLocaleString('en')} reminders due in the same second, 3 runs after a warm-up round of a tenth as many; lateness = time minus the scheduled second. Figures: median (min–max) of the 3 runs.`,
    '',
    '| measured from | p50 | p99 | max | count | goal (issue 4) |',
    '|---|---|---|---|---|---|',
    `| the actor's fire time (reminder.due firedAt) | ${ms(s['fire.p50'])} | ${ms(s['fire.p99'])} | ${ms(s['fire.max'])} | ${s.fired.median} of ${r.due} | p50 ≤ 50 ms, p99 ≤ 250 ms |`,
    `| … in Kafka (outbox batch acknowledged) | ${ms(s['published.p50'])} | ${ms(s['published.p99'])} | ${ms(s['published.max'])} | | |`,
    `| … recorded by the notifications consumer | ${ms(s['recorded.p50'])} | ${ms(s['recorded.p99'])} | ${ms(s['recorded.max'])} | | |`,
    `| the email's arrival at the SMTP sink | ${ms(s['email.p50'])} | ${ms(s['email.p99'])} | ${ms(s['email.max'])} | ${s.mailed.median} of ${r.due} | all mailed within 5 s |`,
    '',
    `From the scheduled second until the last email (median of the runs): the machine was ${s.machineCores.median.toFixed(2)} cores busy (${s.machineCores.min.toFixed(2)}–${s.machineCores.max.toFixed(2)}; everybody's processes, of ${os.cpus().length}), of which the stack's processes: ${
      Object.entries(s).filter(([k]) => k.startsWith('cores:')).sort((a, b) => b[1].median - a[1].median).map(([k, v]) => `${k.slice(6)} ${v.median.toFixed(2)}`).join(', ')}.`,
  ].join('\n'));
}
