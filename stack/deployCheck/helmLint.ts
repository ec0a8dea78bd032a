/**
 * `helm lint --strict` of helm/todo-actors with each of its values files (values.yaml, then every
 * values-*.yaml over it): chart metadata, values against values.schema.json, templates that render,
 * deprecated APIs for Kubernetes 1.33. --strict fails on warnings too. (helm lint lets a template's
 * `fail` pass as information: the budgets the chart checks that way are the template check's.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { tail } from '../capture';
import { CHART_DIR, helmErrorWhere, kubeVersion, runHelm, schemaDefects, valuesFiles } from './helmChart';
import { installGoTool } from '../install/goTool';
import { HELM } from '../install/helm';

/**
 * helm lint's report as defects: values.schema.json's complaints one by one, then each [ERROR] or
 * [WARNING] block (a line and its continuation lines) that is not about them.
 */
export function lintDefects(output: string, valuesFile: string): Defect[] {
  const defects = schemaDefects(output, valuesFile);
  const blocks = output.split(/\n(?=\[(?:INFO|ERROR|WARNING)\])|\n\s*\n/);
  for (const block of blocks) {
    const m = /^\[(ERROR|WARNING)\]\s*(?:([^:\s]+):\s*)?([\s\S]*)$/.exec(block.trim());
    if (!m) continue;
    const text = m[3].trim();
    if (/^- at '|values don't meet the specifications/.test(text) && defects.length) continue;
    const file = m[2] && m[2] !== '.' ? `${CHART_DIR}/${m[2].replace(/^todo-actors\//, '')}` : CHART_DIR;
    defects.push({ where: `${file} (${valuesFile})`, message: `${m[1].toLowerCase()}: ${text.replace(/\s*\n\s*/g, ' ')}` });
  }
  return defects;
}

export const helmLint: DeployCheck = {
  name: `helm lint --strict ${CHART_DIR} (each values file)`,
  prepare: async () => {
    await installGoTool(HELM);
  },
  run: async (ctx) => {
    if (!fs.existsSync(path.join(ctx.root, CHART_DIR, 'Chart.yaml'))) return [{ where: CHART_DIR, message: 'no Chart.yaml' }];
    const defects: Defect[] = [];
    for (const values of valuesFiles(ctx.root)) {
      const r = await runHelm(['lint', '--strict', '--kube-version', kubeVersion, CHART_DIR, '-f', path.posix.join(CHART_DIR, values)], ctx);
      if (r.status === 0) continue;
      const found = lintDefects(`${r.stdout}\n${r.stderr}`, values);
      defects.push(...(found.length ? found : [{ where: helmErrorWhere(r.stderr, values), message: `helm lint exited with ${r.status}: ${tail(r.stderr || r.stdout)}` }]));
    }
    return defects;
  },
};
