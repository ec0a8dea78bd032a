/**
 * Runs chaos scenarios on the local stack: load, fault, heal, settle, verdict. `npm run chaos`
 * runs every scenario (3 runs each unless `--runs N`) and writes loadtest/RELIABILITY.md; the
 * e2e test (chaos.e2e.test.ts) runs some of them once with a shorter load and asserts the zeros.
 */
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../common/config';
import { createPool } from '../../common/db/pool';
import { aliveProcesses, collateralExits } from '../../stack/faults';
import { REPO_ROOT } from '../../stack/paths';
import { say } from '../../stack/progress';
import { up } from '../../stack/stack';
import { useActorHosts } from '../suite/scaling';
import { judge, observe, stillSettling, type Verdict } from './checks';
import { ChaosLoad, DEFAULT_LOAD, type LoadOptions } from './load';
import { renderReliability, type ScenarioRun } from './report';
import { scenariosNamed, type Scenario } from './scenarios';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunOptions {
  load: LoadOptions;
  /** Load before the fault. */
  preFaultMs: number;
  /** Load after the fault healed. */
  postHealMs: number;
  /** Longest wait, after the load, for events, devices and reminders to settle. */
  settleMs: number;
}

export const DEFAULT_RUN: RunOptions = { load: DEFAULT_LOAD, preFaultMs: 10_000, postHealMs: 20_000, settleMs: 120_000 };

/** The stack as the scenario needs it: its number of actor hosts, everything running and healthy. */
async function stackFor(s: Scenario): Promise<void> {
  await useActorHosts(s.actorHosts);
  await up();
  if (s.actorHosts > 1) await sleep(3000); // placement's tables reach every sidecar
}

export async function runScenario(s: Scenario, opts: RunOptions = DEFAULT_RUN, progress: (l: string) => void = say): Promise<ScenarioRun> {
  await stackFor(s);
  await s.prepare?.();
  const pool = createPool('chaos');
  const load = new ChaosLoad({ ...opts.load, durationMs: 30 * 60_000, label: `chaos${s.id}` });
  let notes: string[];
  let faultAt: number;
  let healedAt: number;
  let faultEndsAt: number;
  let verdict: Verdict;
  try {
    await load.start();
    progress(`  scenario ${s.id}: load running (${opts.load.users} users, 2 devices each)`);
    await sleep(opts.preFaultMs);
    const before = aliveProcesses();
    faultAt = Date.now();
    progress(`  scenario ${s.id}: fault: ${s.title}`);
    notes = await s.inject(s.outageMs);
    healedAt = s.permanent ? faultAt : Date.now();
    progress(`  scenario ${s.id}: healed after ${((healedAt - faultAt) / 1000).toFixed(1)} s; load goes on`);
    await sleep(opts.postHealMs);
    await load.stop();
    faultEndsAt = s.permanent ? Date.now() : healedAt;
    const collateral = collateralExits(before, s.targets);
    const deadline = Date.now() + opts.settleMs;
    for (;;) {
      const o = await observe(pool, load.result, faultAt, healedAt, collateral, faultEndsAt);
      verdict = judge(o);
      if (!stillSettling(verdict, o, Date.now()) || Date.now() > deadline) break;
      await sleep(2000);
    }
  } finally {
    load.closeDevices();
    await pool.end();
    if (s.cleanup) await s.cleanup().catch((err) => progress(`  scenario ${s.id}: cleanup failed: ${String(err)}`));
  }
  return { scenario: s.id, key: s.key, title: s.title, at: new Date(faultAt!).toISOString(), faultS: (faultEndsAt! - faultAt!) / 1000, notes: notes!, verdict: verdict! };
}

function parseArgs(args: string[]): { only?: string; runs: number } {
  let only: string | undefined;
  let runs = 3;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--only') only = args[++i];
    else if (args[i] === '--runs') runs = Number(args[++i]);
    else throw new Error(`unknown option ${args[i]}: npm run chaos [-- --only 1,3 --runs N]`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  return { only, runs };
}

const RESULTS_DIR = path.join(REPO_ROOT, 'loadtest', 'results');
export const LATEST_FILE = path.join(RESULTS_DIR, 'chaos-latest.json');

/** `npm run chaos [-- --only 1,3] [--runs N]`: runs, records every run, rewrites RELIABILITY.md from the latest runs of every scenario. */
export async function runChaos(args: string[]): Promise<number> {
  const { only, runs } = parseArgs(args);
  const scenarios = scenariosNamed(only);
  const hostsBefore = config.actorHosts;
  const done: ScenarioRun[] = [];
  const failed: { scenario: number; key: string; at: string; reason: string }[] = [];
  try {
    for (const s of scenarios) {
      for (let r = 1; r <= runs; r++) {
        say(`▶ chaos scenario ${s.id} (${s.key}), run ${r}/${runs}`);
        try {
          const run = await runScenario(s);
          done.push(run);
          say(`  ${summaryLine(run.verdict)}${run.notes.length ? `\n  notes: ${run.notes.join('; ')}` : ''}`);
        } catch (err) {
          // The stack did not come back (or the scenario could not be set up): that is a result too.
          const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
          failed.push({ scenario: s.id, key: s.key, at: new Date().toISOString(), reason });
          say(`  ✖ scenario ${s.id} run ${r} did not complete: ${reason}`);
        }
      }
    }
  } finally {
    await useActorHosts(hostsBefore);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  fs.writeFileSync(path.join(RESULTS_DIR, `chaos-${stamp}.json`), `${JSON.stringify({ runs: done, failed }, null, 2)}\n`);
  const latest: Record<string, ScenarioRun[]> = fs.existsSync(LATEST_FILE) ? JSON.parse(fs.readFileSync(LATEST_FILE, 'utf8')) : {};
  for (const s of scenarios) if (done.some((d) => d.scenario === s.id)) latest[String(s.id)] = done.filter((d) => d.scenario === s.id);
  fs.writeFileSync(LATEST_FILE, `${JSON.stringify(latest, null, 2)}\n`);
  const file = path.join(REPO_ROOT, 'loadtest', 'RELIABILITY.md');
  fs.writeFileSync(file, renderReliability(latest, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined));
  say(`wrote ${path.relative(REPO_ROOT, file)} and results/chaos-${stamp}.json`);
  return failed.length ? 1 : 0;
}

export function summaryLine(v: Verdict): string {
  return `acked ${v.ackedWrites}, lost ${v.lost}, doubled ${v.doubled}, audit missing ${v.auditMissing}, device missing ${v.deviceMissing}, `
    + `reminders ${v.remindersExpected} (never ${v.neverFired}, twice ${v.firedTwice}, late ${v.lateAfterHeal}, max ${v.maxLateAfterHealS.toFixed(1)} s; emails max ${v.maxEmailLateAfterHealS.toFixed(1)} s after healing), `
    + `emails for done ${v.emailsForDone}, during fault ${v.requestsDuringFault} requests ${(100 * v.errorRateDuringFault).toFixed(0)} % errors ${v.fiveXxDuringFault} 5xx, `
    + `recovered ${v.recoverS.toFixed(1)} s, collateral ${v.collateralExits.join(' ') || 'none'}`
    + (Object.keys(v.examples).length ? `\n  examples: ${JSON.stringify(v.examples)}` : '');
}
