/**
 * `npm run lint` (`-- --fix` to apply the fixes ESLint can make), and the lint step of `npm test`:
 * ESLint over the repository with eslint.config.mjs (the recommended rules of ESLint and
 * typescript-eslint, and import-x/no-cycle). Prints ESLint's report, then one ✔ or ✖ line.
 */
import { ESLint } from 'eslint';
import { REPO_ROOT } from './paths';

export interface LintOptions {
  print?: (line: string) => void;
}

export async function lint(args: string[], opts: LintOptions = {}): Promise<number> {
  const print = opts.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fix = args.includes('--fix');
  const eslint = new ESLint({ cwd: REPO_ROOT, fix });
  const results = await eslint.lintFiles(['.']);
  if (fix) await ESLint.outputFixes(results);
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const report = await (await eslint.loadFormatter('stylish')).format(results);
  for (const line of report.trim().split('\n').filter(Boolean)) print(line);
  const files = results.length.toLocaleString('en');
  if (errors > 0) {
    const where = results.filter((r) => r.errorCount > 0).length;
    print(`✖ lint: ${errors} error${errors === 1 ? '' : 's'} in ${where} file${where === 1 ? '' : 's'} (of ${files}); fix them, \`npm run lint -- --fix\` fixes some`);
    return 1;
  }
  print(`✔ lint: ${files} files, no errors${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
  return 0;
}
