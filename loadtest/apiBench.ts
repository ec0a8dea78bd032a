/**
 * The API bench (`npm run bench -- --api`, and part of the suite's `node` part): the task API's
 * throughput and latency through the real local stack (gateway → its daprd → the actor host's
 * daprd → UserActor → PostgreSQL), three runs of each scenario, reported as the median with min
 * and max. Writes loadtest/results/api-<date>.json and its section of loadtest/RESULTS.md.
 * `--quick` runs shorter scenarios.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createPool, inTransaction } from '../common/db/pool';
import { insertNewTask } from '../actors/taskStore';
import { newTask } from '../actors/taskRules';
import { DAPR_VERSION, KAFKA_VERSION, REPO_ROOT } from '../stack/paths';
import { say } from '../stack/progress';
import { benchCommand, gateway, load, percentile, summarizeRuns, users, writeResultsFile, type Summary } from './kit';
import { replaceSection } from './resultsMd';

async function seed(pool: Pool, userId: string, n: number): Promise<void> {
  await inTransaction(pool, async (tx) => {
    for (let i = 0; i < n; i++) await insertNewTask(tx, userId, newTask({ title: `seeded ${i}`, priority: 'medium', tags: ['bench'] }, 'UTC', new Date(Date.now() - i * 1000)), {});
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
  for (const sc of scenarios) {
    const runs: Array<Record<string, number>> = [];
    for (let i = 1; i <= 3; i++) {
      say(`▶ bench: ${sc.name}, run ${i}/3`);
      runs.push(await sc.run());
      say(`  ${Object.entries(runs[runs.length - 1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    }
    const summary = summarizeRuns(runs);
    results.push({ name: sc.name, goal: sc.goal, runs, summary });
  }
  await pool.end();

  const command = benchCommand(args);
  const report = {
    date: new Date().toISOString(), command, quick, secondsPerRun: seconds, connections: workers,
    machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model },
    versions: { node: process.version, dapr: DAPR_VERSION, kafka: KAFKA_VERSION, postgres: pgVersion() },
    results,
  };
  const file = writeResultsFile('api-', report.date, report);
  writeResultsTable(report);
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
  const rows = report.results.map((r) => {
    const s = r.summary;
    const cores = Object.entries(s).filter(([k]) => k.startsWith('cores:')).sort((a, b) => b[1].median - a[1].median)
      .map(([k, v]) => `${k.slice(6)} ${v.median.toFixed(2)}`).join(', ');
    const figures = s.throughput
      ? `${fmt(s.throughput, 'req/s', 0)}; p50 ${fmt(s.p50, 'ms')}; p99 ${fmt(s.p99, 'ms')}; errors ${s.errors.median}<br>cores used (median): ${cores}`
      : `first call ${fmt(s.firstCallMs, 'ms')}; warm call ${fmt(s.warmCallMs, 'ms')}; activation ≈ ${fmt(s.activationMs, 'ms')}`;
    return `| ${r.name} | ${figures} | ${r.goal} |`;
  });
  replaceSection('api', 'Task API through the real stack', [
    `Command: \`${report.command}\` (${report.date.slice(0, 16)}Z; ${report.secondsPerRun} s per run, 3 runs per scenario, ${report.connections} keep-alive connections; ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB; the whole stack and the load generator share the machine). Figures: median (min–max) of the 3 runs.`,
    '',
    '| scenario | measured | goal (issue) |',
    '|---|---|---|',
    ...rows,
  ].join('\n'));
}
