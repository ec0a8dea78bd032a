/**
 * `npm run bench`: the benchmark suite against the real local stack.
 *
 *   npm run bench                     every k6 scenario (3 runs each), the resource cost, memory per
 *                                     actor, 1 → 2 actor hosts, then the node benches (API, reminders,
 *                                     chat); results/<date>.json and loadtest/RESULTS.md (~20 min)
 *   npm run bench -- --soak           the same plus the 30-minute soak (--soak-minutes N to change it)
 *   npm run bench -- --quick          about a minute: one short run of each k6 scenario and a short
 *                                     soak; results/quick-<date>.json only, never RESULTS.md
 *   npm run bench -- --only a,b       only these parts: mixed, throughput, storm, reminders, devices,
 *                                     fixed, actors, pending, scaling, events, peer, soak, node
 *   npm run bench -- --peer           only the peer part (./peer.ts): the same k6 scenarios against this
 *                                     system and against a Restate peer, and their ratios
 *   npm run bench -- --api | --reminders | --chat | --events   one node bench alone (NODE_BENCHES)
 *
 * This is the one dispatcher of the benches: the node benches (../apiBench.ts, ../reminderBench.ts,
 * ../chatBench.ts, ../eventsBench.ts) share ../kit.ts and write RESULTS.md through ../resultsMd.ts.
 *
 * The suite turns the gateway's per-user rate limit off (RATE_LIMIT_PER_SECOND=0): the write storm
 * puts 32 concurrent writers on 4 users, which the limit (50/s per user) would answer with 429s.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../../common/config';
import { createPool } from '../../common/db/pool';
import { installGoTool } from '../../stack/install/goTool';
import { K6 } from '../../stack/install/k6';
import { DAPR_VERSION, KAFKA_VERSION, paths, REPO_ROOT } from '../../stack/paths';
import { say } from '../../stack/progress';
import { withStack } from '../../stack/stack';
import { runApiBench } from '../apiBench';
import { RESULTS_DIR } from '../kit';
import { runChatBench } from '../chatBench';
import { runEventsBench } from '../eventsBench';
import { runRecurrenceBench } from '../recurrenceBench';
import { runReminderBench } from '../reminderBench';
import { replaceSection } from '../resultsMd';
import { machineInfo } from '../machine';
import { settle } from '../stackProbe';
import { benchUsers } from './benchUsers';
import type { SuiteContext } from './context';
import type { ScenarioResult } from './figures';
import type { K6Result } from './k6Run';
import { consoleSummary, scenarioSection, shortHeader, summarySection, type RunInfo } from './report';
import { actorMemoryScenario, fixedLoadScenario, pendingRemindersScenario } from './resources';
import { scalingScenario } from './scaling';
import { devicesScenario, mixedScenario, reminderStormScenario, throughputResult, throughputRuns, writeStormScenario } from './scenarios';
import { eventsScenario } from './events';
import { soakScenario } from './soak';
import { peerScenario } from './peer';
import { peerSection, peerTable, peerRows } from './peerReport';

/** Published outbox rows are kept this long during the suite (an hour by default): short enough for the soak to see the pruning. */
const SUITE_OUTBOX_RETENTION_MS = 5 * 60_000;
/**
 * The suite samples traces as the chart deploys the services (helm values.yaml and values-oke.yaml:
 * dapr.tracing.samplingRate 0.1), not as the local stack does for debugging (1): recording and
 * exporting every span of every request is a cost production does not pay. TRACING_SAMPLING_RATE
 * set by the caller wins (`TRACING_SAMPLING_RATE=1 npm run bench` measures the local default).
 */
export const BENCH_TRACING_SAMPLING_RATE = 0.1;

/** Applies the suite's sampling unless the caller chose one; the stack started after this uses it (stack/services.ts restarts services left running with another). */
export function benchTracingSamplingRate(env: NodeJS.ProcessEnv = process.env): number {
  if (env.TRACING_SAMPLING_RATE === undefined || env.TRACING_SAMPLING_RATE === '') {
    env.TRACING_SAMPLING_RATE = String(BENCH_TRACING_SAMPLING_RATE);
    config.tracingSamplingRate = BENCH_TRACING_SAMPLING_RATE;
  }
  return config.tracingSamplingRate;
}

/** The node benches, by the flag that runs one alone (as `npm run bench` did before the suite). */
const NODE_BENCHES: Record<string, (args: string[]) => Promise<number>> = {
  '--api': runApiBench,
  '--reminders': runReminderBench,
  '--chat': runChatBench,
  '--events': runEventsBench,
  '--recurrence': runRecurrenceBench,
};
/** The suite's `node` part (the events bench is a part of its own). */
const NODE_PART = ['--api', '--reminders', '--chat'];

/** Runs the benches named by `flags` one after another; the exit code is the worst of theirs. */
async function runNodeBenches(flags: string[], args: string[]): Promise<number> {
  let code = 0;
  for (const flag of flags) code = Math.max(code, await NODE_BENCHES[flag](args));
  return code;
}
export const PARTS = ['mixed', 'throughput', 'storm', 'reminders', 'devices', 'fixed', 'actors', 'pending', 'scaling', 'events', 'peer', 'soak', 'node'] as const;
type Part = (typeof PARTS)[number];

export interface SuiteOptions {
  quick: boolean;
  parts: Set<Part>;
  soakMinutes: number;
  /** The arguments passed on to the node benches. */
  passOn: string[];
}

export function parseSuiteArgs(args: string[]): SuiteOptions {
  const quick = args.includes('--quick');
  const soak = args.includes('--soak');
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = value('--only') ?? (args.includes('--peer') ? 'peer' : undefined);
  let parts: Set<Part>;
  if (only) {
    const asked = only.split(',').map((s) => s.trim());
    const unknown = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknown.length) throw new Error(`--only: unknown part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
    parts = new Set(asked as Part[]);
  } else {
    parts = new Set(PARTS.filter((p) => !(quick && (p === 'scaling' || p === 'events' || p === 'node')) && (p !== 'soak' || soak || quick)));
  }
  const minutes = value('--soak-minutes');
  const soakMinutes = minutes !== undefined ? Number(minutes) : quick ? 0.2 : 30;
  if (!Number.isFinite(soakMinutes) || soakMinutes <= 0) throw new Error(`--soak-minutes must be a positive number, got ${minutes}`);
  return { quick, parts, soakMinutes, passOn: args.filter((a) => a === '--quick') };
}

function versionOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

export async function runBenchSuite(args: string[]): Promise<number> {
  const alone = Object.keys(NODE_BENCHES).filter((flag) => args.includes(flag));
  if (alone.length) return withStack(() => runNodeBenches(alone, args));
  const opts = parseSuiteArgs(args);
  const k6 = await installGoTool(K6);
  process.env.RATE_LIMIT_PER_SECOND = '0';
  process.env.OUTBOX_RETENTION_MS ||= String(SUITE_OUTBOX_RETENTION_MS);
  benchTracingSamplingRate();
  return withStack(() => suite(k6, opts, args));
}

async function suite(k6: string, opts: SuiteOptions, args: string[]): Promise<number> {
  const started = Date.now();
  const date = new Date().toISOString();
  const stamp = date.slice(0, 19).replace(/:/g, '-');
  const loadStart = os.loadavg();
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const resultsDir = RESULTS_DIR;
  fs.mkdirSync(resultsDir, { recursive: true });
  const before = new Set(fs.readdirSync(resultsDir));
  const pool = createPool('bench');
  const has = (p: Part) => opts.parts.has(p);
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  const nodeReports: Record<string, unknown> = {};
  let versions: Record<string, string>;
  try {
    const pg = await pool.query<{ server_version: string }>('SHOW server_version');
    versions = {
      node: process.version, Dapr: versionOf(paths.daprBin('daprd'), ['--version']) || DAPR_VERSION, Kafka: KAFKA_VERSION,
      PostgreSQL: pg.rows[0].server_version, k6: versionOf(k6, ['version']).replace(/^k6 /, ''),
    };
    const nUsers = opts.quick ? 100 : 1000;
    const tasksEach = opts.quick ? 10 : 20;
    if ([...opts.parts].some((p) => p !== 'peer')) say(`▶ bench: ${nUsers} users with ${tasksEach} tasks each (tokens signed here, tasks written to PostgreSQL)`);
    // The peer part makes its own users; a run of it alone needs none of these.
    const users = [...opts.parts].some((p) => p !== 'peer') ? await benchUsers(nUsers, 'bench-user', { pool, tasksEach, ttlSeconds: (opts.soakMinutes + 120) * 60 }) : [];
    const ctx: SuiteContext = { k6, pool, quick: opts.quick, runs: opts.quick ? 1 : 3, users, label: (name, run) => `${stamp}-${name}-${run}` };

    // A part that fails is reported and the suite goes on with the next one. Each part starts
    // once the stack has finished the work the previous one left (lag, outbox, emails).
    const part = async (name: Part, fn: () => Promise<ScenarioResult | undefined>) => {
      if (!has(name)) return;
      try {
        const settled = await settle(pool, opts.quick ? 30 : 180, opts.quick ? 1 : 2);
        const r = await fn();
        if (r) {
          r.notes.push(settled);
          results.push(r);
        }
      } catch (err) {
        failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        say(`✖ bench: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    let oneHost: { create: K6Result[]; list: K6Result[] } | undefined;
    await part('mixed', () => mixedScenario(ctx));
    await part(has('throughput') ? 'throughput' : 'scaling', async () => {
      oneHost = { create: await throughputRuns(ctx, 'create', ''), list: await throughputRuns(ctx, 'list', '') };
      return throughputResult(ctx, oneHost);
    });
    await part('storm', () => writeStormScenario(ctx));
    await part('reminders', () => reminderStormScenario(ctx));
    await part('devices', () => devicesScenario(ctx));
    await part('fixed', () => fixedLoadScenario(ctx));
    await part('actors', () => actorMemoryScenario(ctx));
    await part('pending', () => pendingRemindersScenario(ctx));
    await part('scaling', async () => (oneHost ? scalingScenario(ctx, oneHost) : undefined));
    await part('events', () => eventsScenario(ctx, command));
    await part('peer', () => peerScenario(ctx));
    await part('soak', () => soakScenario(ctx, opts.soakMinutes));
    if (has('node')) {
      await runNodeBenches(NODE_PART, opts.passOn).catch((err) => {
        failures.push(`node: ${err instanceof Error ? err.message : String(err)}`);
        say(`✖ bench: the node benches failed: ${String(err)}`);
      });
    }
    // One results file per suite run: the events and node benches' own files are folded into it.
    for (const f of fs.readdirSync(resultsDir).filter((x) => !before.has(x) && x.endsWith('.json'))) {
      nodeReports[f] = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
      fs.rmSync(path.join(resultsDir, f));
    }
  } finally {
    await pool.end();
  }

  const info: RunInfo = {
    date, command, minutes: (Date.now() - started) / 60_000, machine: machineInfo(), versions,
    loadAverage: { start: loadStart, end: os.loadavg() }, runs: opts.quick ? 1 : 3, tracingSamplingRate: config.tracingSamplingRate,
  };
  const report = {
    ...info, quick: opts.quick, parts: [...opts.parts], failures,
    settings: { RATE_LIMIT_PER_SECOND: '0', OUTBOX_RETENTION_MS: process.env.OUTBOX_RETENTION_MS, ACTOR_HOSTS: String(config.actorHosts), GATEWAY_PORT: String(config.gatewayPort), TRACING_SAMPLING_RATE: String(config.tracingSamplingRate) },
    k6Commands: results.flatMap((r) => r.commands),
    scenarios: results,
    nodeBenches: nodeReports,
  };
  const file = path.join(resultsDir, `${opts.quick ? 'quick-' : ''}${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  say('\nfigures against the goals:');
  say(consoleSummary(results));
  const peer = results.find((r) => r.name === 'peer');
  if (peer) say(`\nagainst the Restate peer:\n${peerTable(peerRows(peer.figures))}`);
  for (const f of failures) say(`✖ ${f}`);
  if (opts.quick) {
    say(`\nquick run: single short runs, not for RESULTS.md; results in ${path.relative(REPO_ROOT, file)}`);
    return failures.length ? 1 : 0;
  }
  writeResultsMd(info, results, opts, failures);
  say(`\nresults: ${path.relative(REPO_ROOT, file)} and loadtest/RESULTS.md`);
  return failures.length ? 1 : 0;
}

const NOTES = [
  "The suite runs with the gateway's per-user rate limit off (`RATE_LIMIT_PER_SECOND=0`), because the write storm puts 32 writers on 4 users, and keeps published outbox rows 5 minutes instead of an hour (`OUTBOX_RETENTION_MS=300000`), so that the 30-minute soak sees the pruning hold the outbox's size; nothing else differs from `npm start`.",
];

/** RESULTS.md: the summary (only from a run of every part) and one section per scenario that ran. */
function writeResultsMd(info: RunInfo, results: ScenarioResult[], opts: SuiteOptions, failures: string[]): void {
  const complete = PARTS.filter((p) => p !== 'soak' && p !== 'node').every((p) => opts.parts.has(p)) && failures.length === 0;
  if (complete) replaceSection('summary', 'Summary: the suite against the goals', summarySection(info, results, NOTES));
  else say('  (only some parts ran, or some failed: the summary section of RESULTS.md is left as it was)');
  const peer = results.find((r) => r.name === 'peer');
  if (peer) replaceSection('suite-peer', peer.title, [shortHeader(info), peerSection(peer)].join('\n\n'));
  for (const r of results.filter((x) => !x.ownSection)) {
    replaceSection(`suite-${r.name}`, r.title, [shortHeader(r.name === 'soak' ? { ...info, runs: 1 } : info), scenarioSection(r)].join('\n\n'));
  }
}
