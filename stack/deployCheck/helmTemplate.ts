/**
 * `helm template` of helm/todo-actors with each values file, for Kubernetes 1.33, and every
 * rendered document validated:
 * - built-in kinds against the Kubernetes 1.33 JSON schemas of kubernetes-validate (PyPI), strict
 *   (unknown fields are errors), every error of every document (stack/deployCheck/kubeValidate.py);
 * - Dapr's Component, Configuration, Resiliency and the ServiceMonitor, which those schemas do not
 *   have, against the openAPIV3Schema of their own CRDs (stack/deployCheck/crdValidation.ts);
 * - any other kind is a defect: nothing rendered goes unvalidated.
 * Offline once prepared.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { capture, tail } from '../capture';
import { CrdValidator } from './crdValidation';
import { CHART_DIR, kubeVersion, renderChart, renderDefects, valuesFiles } from './helmChart';
import { installCrdSchemas } from '../install/crdSchemas';
import { installGoTool } from '../install/goTool';
import { HELM } from '../install/helm';
import { installKubernetesValidate } from '../install/kubernetesValidate';
import { REPO_ROOT } from '../paths';

const DRIVER = path.join(REPO_ROOT, 'stack', 'deployCheck', 'kubeValidate.py');

export interface ValidatedDocument {
  source: string;
  kind: string | null;
  apiVersion: string | null;
  name: string | null;
  status: 'valid' | 'invalid' | 'no-schema' | 'not-yaml';
  errors: Array<{ path: string; message: string }>;
  object: Record<string, unknown> | null;
}

/** Runs kubernetes-validate's schemas over a rendered stream; one result per document. */
export async function kubeValidate(manifestFile: string): Promise<ValidatedDocument[]> {
  const python = await installKubernetesValidate();
  const r = await capture(python, [DRIVER, kubeVersion, manifestFile], { cwd: REPO_ROOT });
  if (r.status !== 0) throw new Error(`kubeValidate.py exited with ${r.status}: ${tail(r.stderr || r.stdout)}`);
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ValidatedDocument);
}

/** Where a rendered document came from: "helm/todo-actors/templates/x.yaml › Kind/name (values-oke.yaml)". */
function docWhere(d: ValidatedDocument, valuesFile: string): string {
  const file = d.source ? `${CHART_DIR}/${d.source.replace(/^todo-actors\//, '')}` : CHART_DIR;
  return `${file}${d.kind ? ` › ${d.kind}/${d.name ?? '?'}` : ''} (${valuesFile})`;
}

export const helmTemplate: DeployCheck = {
  name: `helm template ${CHART_DIR} (each values file) validated for Kubernetes ${kubeVersion}: kubernetes-validate schemas, CRD schemas for Dapr, ServiceMonitor and PrometheusRule`,
  prepare: async () => {
    await installGoTool(HELM);
    await installKubernetesValidate();
    await installCrdSchemas();
  },
  run: async (ctx) => {
    if (!fs.existsSync(path.join(ctx.root, CHART_DIR, 'Chart.yaml'))) return [{ where: CHART_DIR, message: 'no Chart.yaml' }];
    const crds = new CrdValidator(await installCrdSchemas());
    const defects: Defect[] = [];
    for (const values of valuesFiles(ctx.root)) {
      const r = await renderChart(ctx, values);
      if (r.status !== 0) {
        defects.push(...renderDefects(r.stderr || r.stdout, values));
        continue;
      }
      const file = path.join(ctx.tmp, `rendered-${values}`);
      fs.writeFileSync(file, r.stdout);
      const docs = await kubeValidate(file);
      if (docs.length === 0) defects.push({ where: `${CHART_DIR} (${values})`, message: 'rendered nothing' });
      for (const d of docs) {
        const where = docWhere(d, values);
        if (d.status === 'not-yaml' || d.status === 'invalid') {
          defects.push(...d.errors.map((e) => ({ where, message: `${e.path ? `${e.path}: ` : ''}${e.message}` })));
        } else if (d.status === 'no-schema') {
          const issues = crds.validate(d.object ?? {});
          if (!issues) {
            defects.push({ where, message: `no schema for ${d.apiVersion} ${d.kind}: neither Kubernetes ${kubeVersion} nor the known CRDs (${crds.known().join(', ')}) define it` });
          } else {
            defects.push(...issues.map((e) => ({ where, message: `${e.path ? `${e.path}: ` : ''}${e.message}` })));
          }
        }
      }
    }
    return defects;
  },
};
