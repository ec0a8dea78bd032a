/**
 * The Helm chart as the deploy checks see it: where it is, which values files it has, and helm
 * run on it hermetically (its config, cache and data folders in the check's scratch folder, so
 * nothing of the machine's helm setup is read and nothing is fetched).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect } from './check';
import { capture, tail, type Captured } from '../capture';
import { installGoTool } from '../install/goTool';
import { HELM, KUBE_VERSION } from '../install/helm';

export const CHART_DIR = 'helm/todo-actors';
/** The release and namespace names the checks render with. */
export const RELEASE = 'todo-actors';
/** Custom resource APIs the target cluster serves besides Dapr's, for .Capabilities (the ServiceMonitor is rendered only if served). */
export const EXTRA_API_VERSIONS = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];
export const kubeVersion = `${KUBE_VERSION.major}.${KUBE_VERSION.minor}.0`;

/** values.yaml first, then every values-*.yaml of the chart. */
export function valuesFiles(root: string): string[] {
  const dir = path.join(root, CHART_DIR);
  if (!fs.existsSync(dir)) return [];
  const others = fs.readdirSync(dir).filter((f) => /^values-[\w.-]+\.ya?ml$/.test(f)).sort();
  return [...(fs.existsSync(path.join(dir, 'values.yaml')) ? ['values.yaml'] : []), ...others];
}

export async function runHelm(args: string[], ctx: { root: string; tmp: string }): Promise<Captured> {
  const home = path.join(ctx.tmp, 'helm-home');
  fs.mkdirSync(home, { recursive: true });
  return capture(await installGoTool(HELM), args, {
    cwd: ctx.root,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_DATA_HOME: path.join(home, 'data'),
      KUBECONFIG: path.join(home, 'no-kubeconfig'),
    },
  });
}

/** `helm template` of the chart with one values file (over values.yaml, as `helm install -f` does). */
export function renderChart(ctx: { root: string; tmp: string }, valuesFile: string, extraArgs: string[] = []): Promise<Captured> {
  return runHelm(['template', RELEASE, CHART_DIR, '--namespace', RELEASE, '--kube-version', kubeVersion,
    ...EXTRA_API_VERSIONS.flatMap((a) => ['--api-versions', a]), '-f', path.posix.join(CHART_DIR, valuesFile), ...extraArgs], ctx);
}

/** Where a helm error points, e.g. "todo-actors/templates/x.yaml:12:3" → "helm/todo-actors/templates/x.yaml:12". */
export function helmErrorWhere(message: string, valuesFile: string): string {
  const m = /todo-actors\/(templates\/[\w./-]+?\.(?:yaml|tpl|txt))(?::(\d+))?/.exec(message);
  return `${m ? `${CHART_DIR}/${m[1]}${m[2] ? `:${m[2]}` : ''}` : CHART_DIR} (${valuesFile})`;
}

/** values.schema.json's complaints ("- at '/kafka/partitions': got string, want integer"), one defect each. */
export function schemaDefects(output: string, valuesFile: string): Defect[] {
  const seen = new Set<string>();
  const defects: Defect[] = [];
  for (const m of output.matchAll(/^- at '([^']*)': (.*)$/gm)) {
    const message = `values: at '${m[1]}': ${m[2].trim()}`;
    if (seen.has(message)) continue;
    seen.add(message);
    defects.push({ where: `${CHART_DIR}/${valuesFile}`, message });
  }
  return defects;
}

/** The defects of a failed `helm template`: the schema's complaints, else the error where it points. */
export function renderDefects(stderr: string, valuesFile: string): Defect[] {
  const schema = schemaDefects(stderr, valuesFile);
  if (schema.length) return schema;
  return [{ where: helmErrorWhere(stderr, valuesFile), message: tail(stderr.replace(/^Error: /m, '')).replace(/\s*\n\s*/g, ' ') }];
}
