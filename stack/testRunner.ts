/**
 * `npm test`: unit tests first (no stack needed), then `npm run lint` as one test, then
 * `deploy:check` as one test (its tools are installed into the cache), then the tests of the
 * deploy checks, then the stack (installed and
 * started as `up` does) and the integration and end-to-end tests against it. A stack this run
 * started is stopped at the end; one that was already running from this checkout is left running.
 * Test files: `*.test.ts` beside the code (and `*.test.mts` of the web page's browser modules,
 * compiled to ES modules, gateway/web/client/); those named `*.integration.test.ts` or `*.e2e.test.ts`
 * need the real stack; those named `*.deploycheck.test.ts` need the deploy tools (each prepares
 * what it needs in a before() hook) but no stack.
 * `--unit` stops before the stack. `--grep` skips the lint and deploy:check steps (the
 * deploy-check tests still run, filtered like the others).
 */
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { REPO_ROOT } from './paths';
import { say, StepError, timings } from './progress';
import { withStack } from './stack';
import { deployCheck } from './deployCheck/run';
import { lint } from './lint';

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function testFiles(dir = path.join(REPO_ROOT, 'dist')): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.js') || e.name.endsWith('.test.mjs')) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

export const needsStack = (file: string): boolean => /\.(integration|e2e)\.test\.js$/.test(file);
export const needsDeployTools = (file: string): boolean => /\.deploycheck\.test\.js$/.test(file);

function runMocha(files: string[], totals: Totals, grep?: string): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, slow: 2_000, color: process.stdout.isTTY === true, grep });
  for (const f of files) mocha.addFile(f);
  // loadFilesAsync: some test files are ES modules (.mjs), which require() cannot load on every Node.
  return mocha.loadFilesAsync().then(() => new Promise<void>((resolve) => {
    const runner = mocha.run(() => {
      totals.passed += runner.stats?.passes ?? 0;
      totals.failed += runner.stats?.failures ?? 0;
      totals.skipped += runner.stats?.pending ?? 0;
      resolve();
    });
  }));
}

/**
 * A command run as one test of `npm test` (the lint, deploy:check): its report indented under the
 * step's ▶ line, ending in its ✔ or ✖ lines; one passed or failed test in the totals by its exit code.
 */
async function stepAsOneTest(title: string, run: (print: (line: string) => void) => Promise<number>, totals: Totals): Promise<void> {
  say(`▶ ${title}`);
  let code: number;
  try {
    code = await run((line) => say(`  ${line}`));
  } catch (err) {
    code = 1;
    say(`✖ ${title.replace(/^npm run /, '')} could not run: ${err instanceof Error ? err.stack : String(err)}`);
  }
  if (code === 0) totals.passed += 1;
  else totals.failed += 1;
}

export async function runTests(args: string[]): Promise<number> {
  const unitOnly = args.includes('--unit');
  const g = args.indexOf('--grep');
  const grep = g >= 0 ? args[g + 1] : undefined;
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  const files = testFiles();
  const unitFiles = files.filter((f) => !needsStack(f) && !needsDeployTools(f));
  say(`▶ unit tests (${unitFiles.length} files)`);
  await runMocha(unitFiles, totals, grep);

  if (grep === undefined) {
    await stepAsOneTest('npm run lint', (print) => lint([], { print }), totals);
    await stepAsOneTest('npm run deploy:check', (print) => deployCheck([], { print }), totals);
  }
  const deployFiles = files.filter(needsDeployTools);
  if (deployFiles.length > 0) {
    say(`▶ tests of the deploy checks (${deployFiles.length} files)`);
    await runMocha(deployFiles, totals, grep);
  }

  if (!unitOnly) {
    try {
      await withStack(async () => {
        say(`▶ integration and end-to-end tests against the real stack (${files.filter(needsStack).length} files)`);
        await runMocha(files.filter(needsStack), totals, grep);
      });
    } catch (err) {
      totals.failed += 1;
      if (!(err instanceof StepError)) say(`✖ the stack could not be started: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
  if (timings.length) say(`timings: ${timings.map((t) => `${t.step.split(' (')[0]} ${(t.ms / 1000).toFixed(1)}s`).join('; ')}`);
  // The plain closing line that CI reads, whatever the runner.
  process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}
