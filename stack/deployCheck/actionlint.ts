/**
 * actionlint on .github/workflows/: workflow syntax, job graph, expressions and their contexts,
 * action inputs, runner labels. Its shellcheck integration (the `run:` scripts) is on only when
 * shellcheck is installed on this machine; its pyflakes integration is off.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { capture, tail } from '../capture';
import { installGoTool } from '../install/goTool';
import { ACTIONLINT } from '../install/infraLinters';
import { which } from '../exec';

interface ActionlintError {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

export function workflowFiles(root: string): string[] {
  const dir = path.join(root, '.github', 'workflows');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.posix.join('.github', 'workflows', f));
}

export const actionlint: DeployCheck = {
  name: `actionlint .github/workflows/${which('shellcheck') ? ' (with shellcheck)' : ''}`,
  prepare: async () => {
    await installGoTool(ACTIONLINT);
  },
  run: async (ctx) => {
    const files = workflowFiles(ctx.root);
    if (files.length === 0) return [{ where: '.github/workflows/', message: 'no workflow files' }];
    const shellcheck = which('shellcheck') ?? '';
    const r = await capture(await installGoTool(ACTIONLINT),
      ['-no-color', `-shellcheck=${shellcheck}`, '-pyflakes=', '-format', '{{json .}}', ...files], { cwd: ctx.root });
    // Exit 0: clean; 1: errors, listed as JSON on stdout; anything else: actionlint itself failed.
    if (r.status !== 0 && r.status !== 1) return [{ where: '.github/workflows/', message: `actionlint exited with ${r.status}: ${tail(r.stderr || r.stdout)}` }];
    let errors: ActionlintError[];
    try {
      errors = JSON.parse(r.stdout.trim() || '[]') as ActionlintError[];
    } catch {
      return [{ where: '.github/workflows/', message: `actionlint's output is not JSON: ${tail(r.stdout)}` }];
    }
    if (r.status === 1 && errors.length === 0) return [{ where: '.github/workflows/', message: `actionlint failed without naming an error: ${tail(r.stderr)}` }];
    return errors.map((e): Defect => ({ where: `${e.filepath}:${e.line}:${e.column}`, message: `${e.message} [${e.kind}]` }));
  },
};
