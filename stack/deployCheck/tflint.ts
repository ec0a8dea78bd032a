/**
 * tflint on every module under terraform/, with terraform/.tflint.hcl: only the terraform ruleset
 * tflint bundles (preset "all": typed and documented variables and outputs, pinned provider
 * versions, unused declarations, naming, standard module layout, deprecated syntax). No plugin is
 * downloaded, so it runs offline and needs no `tflint --init`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Defect, DeployCheck } from './check';
import { capture, tail } from '../capture';
import { installGoTool } from '../install/goTool';
import { TFLINT } from '../install/infraLinters';

interface TflintRange {
  filename: string;
  start: { line: number; column: number };
}

interface TflintOutput {
  issues: Array<{ rule: { name: string; severity: string }; message: string; range: TflintRange }>;
  errors: Array<{ message: string; severity?: string; range?: TflintRange }>;
}

export const tflint: DeployCheck = {
  name: 'tflint terraform/ (bundled terraform ruleset)',
  prepare: async () => {
    await installGoTool(TFLINT);
  },
  run: async (ctx) => {
    const dir = path.join(ctx.root, 'terraform');
    const config = path.join(dir, '.tflint.hcl');
    if (!fs.existsSync(config)) return [{ where: 'terraform/.tflint.hcl', message: 'missing' }];
    const r = await capture(await installGoTool(TFLINT), ['--recursive', '--config', config, '--format', 'json', '--no-color'], {
      cwd: dir,
      // Plugins only from an empty directory of our own: nothing from ~/.tflint.d, nothing fetched.
      env: { ...process.env, TFLINT_PLUGIN_DIR: path.join(ctx.tmp, 'tflint-plugins'), TFLINT_LOG: '' },
    });
    let out: TflintOutput;
    try {
      out = JSON.parse(r.stdout) as TflintOutput;
    } catch {
      return [{ where: 'terraform/', message: `tflint exited with ${r.status} without a JSON report: ${tail(r.stderr || r.stdout)}` }];
    }
    const where = (range?: TflintRange) => (range
      ? `${path.posix.join('terraform', range.filename.split(path.sep).join('/'))}:${range.start.line}:${range.start.column}`
      : 'terraform/');
    // tflint colours the diagnostics it relays from Terraform's parser even with --no-color.
    const plain = (text: string) => stripVTControlCharacters(text).trim();
    const defects: Defect[] = [
      ...(out.errors ?? []).map((e) => ({ where: where(e.range), message: plain(e.message) })),
      ...(out.issues ?? []).map((i) => ({ where: where(i.range), message: `${i.message} [${i.rule.name}, ${i.rule.severity}]` })),
    ];
    if (defects.length === 0 && r.status !== 0) return [{ where: 'terraform/', message: `tflint exited with ${r.status}: ${tail(r.stderr)}` }];
    return defects;
  },
};
