/**
 * The runner of `npm run deploy:check` (and of the deploy-check step of `npm test`): every check's
 * prepare() first, one after the other (tool builds are heavy and the machine is shared), then every
 * check's run() against the repository, each with its own scratch folder. A check that throws, in
 * prepare or run, is reported as a defect of that check, never as a crash of the runner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { checks as allChecks } from './checks';
import { REPO_ROOT } from '../paths';
import { say as progressSay } from '../progress';

export interface CheckOutcome {
  check: string;
  defects: Defect[];
}

export interface RunOptions {
  /** The repository to check; the checkout itself unless a test points it at a copy. */
  root?: string;
  checks?: DeployCheck[];
  /** Where the report lines go (stdout by default). */
  print?: (line: string) => void;
  /** Where progress and usage go (stderr by default). */
  say?: (line: string) => void;
}

const message = (err: unknown): string => (err instanceof Error ? (err as { reason?: string }).reason ?? err.message : String(err));

/** The checks whose name contains one of the words (case-insensitive); all of them without words. */
export function selectChecks(words: string[], list: DeployCheck[] = allChecks): DeployCheck[] {
  if (words.length === 0) return list;
  const lower = words.map((w) => w.toLowerCase());
  return list.filter((c) => lower.some((w) => c.name.toLowerCase().includes(w)));
}

/** Runs the checks and answers each one's defects, in the order of the list. */
export async function runChecks(opts: RunOptions = {}): Promise<CheckOutcome[]> {
  const list = opts.checks ?? allChecks;
  const root = opts.root ?? REPO_ROOT;
  const prepareFailed = new Map<string, Defect>();
  for (const c of list) {
    if (!c.prepare) continue;
    try {
      await c.prepare();
    } catch (err) {
      prepareFailed.set(c.name, { where: '(tools)', message: `could not install what the check needs: ${message(err)}` });
    }
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-check-'));
  const outcomes: CheckOutcome[] = [];
  try {
    for (const [i, c] of list.entries()) {
      const failed = prepareFailed.get(c.name);
      if (failed) {
        outcomes.push({ check: c.name, defects: [failed] });
        continue;
      }
      const tmp = path.join(base, String(i));
      fs.mkdirSync(tmp, { recursive: true });
      try {
        outcomes.push({ check: c.name, defects: await c.run({ root, tmp }) });
      } catch (err) {
        outcomes.push({ check: c.name, defects: [{ where: '(check)', message: `the check itself failed: ${message(err)}` }] });
      }
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  return outcomes;
}

/** The report: `✖ <check>: <where>: <message>` per defect, `✔ <check>` per passing check. */
export function reportLines(outcomes: CheckOutcome[]): string[] {
  return outcomes.flatMap((o) => (o.defects.length === 0
    ? [`✔ ${o.check}`]
    : o.defects.map((d) => `✖ ${o.check}: ${d.where}: ${d.message}`)));
}

export const defectCount = (outcomes: CheckOutcome[]): number => outcomes.reduce((n, o) => n + o.defects.length, 0);

/**
 * `npm run deploy:check [-- WORD...]`: runs every check (or those whose name contains a WORD),
 * prints the report, answers the exit code: 1 on any defect, 2 when no check matches the words.
 */
export async function deployCheck(args: string[] = [], opts: RunOptions = {}): Promise<number> {
  const say = opts.say ?? progressSay;
  const list = selectChecks(args, opts.checks);
  if (list.length === 0) {
    say(`no deploy check's name contains ${args.map((a) => JSON.stringify(a)).join(' or ')}; the checks:\n  ${(opts.checks ?? allChecks).map((c) => c.name).join('\n  ')}`);
    return 2;
  }
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  // No step() around it: the tool installers show their own progress, and the checks take seconds.
  const t0 = Date.now();
  say(`▶ deploy checks (${list.length}): tools, then the checks`);
  const outcomes = await runChecks({ ...opts, checks: list });
  say(`  deploy checks ran in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  for (const line of reportLines(outcomes)) print(line);
  const n = defectCount(outcomes);
  const failing = outcomes.filter((o) => o.defects.length > 0).length;
  print(n === 0
    ? `deploy check: ${list.length} checks passed`
    : `deploy check: ${n} defect${n === 1 ? '' : 's'} in ${failing} of ${list.length} checks`);
  return n === 0 ? 0 : 1;
}
