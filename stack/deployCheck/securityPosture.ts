/**
 * The security posture of what ships, offline (issue: "no one reaches a user's data but that user"):
 * - the chart's defaults: PostgreSQL verify-full; Kafka SASL over TLS with a user per service;
 * - every values file: the ingress routes only the API's paths (the OpenAPI document's, under
 *   ingress.apiPaths) and the web page (/ exactly), never /metrics, /healthz, /readyz, nor the
 *   OpenAPI document unless ingress.exposeOpenApi; a ServiceAccount per deployable, no API token
 *   mounted; Prometheus (any peer from another namespace) reaches only the metrics ports; Dapr's
 *   API token on every sidecar and the app token on the apps Dapr calls; the Configuration denies
 *   every service invocation and secret by default; every component is scoped;
 * - mTLS: read from the resource that controls it, the control plane's `daprsystem`
 *   Configuration, rendered from Dapr's own chart (in the Dapr Go module, the version the stack
 *   runs) with helm/dapr-control-plane.yaml, the values the READMEs install Dapr with;
 * - Terraform: the Kubernetes API's allowed CIDRs are a required variable, never 0.0.0.0/0;
 * - CI: every action pinned by a commit.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Defect, DeployCheck } from './check';
import { CHART_DIR, renderChart, renderDefects, runHelm, valuesFiles, kubeVersion } from './helmChart';
import { installGoTool } from '../install/goTool';
import { HELM } from '../install/helm';
import { checkGo, goEnv } from '../install/go';
import { exec } from '../exec';
import { DAPR_VERSION, paths } from '../paths';
import { openApiDocument } from '../../gateway/openapi';
import { DAPR_KUBERNETES_PORTS } from '../../common/daprResources';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export const DAPR_CONTROL_PLANE_VALUES = 'helm/dapr-control-plane.yaml';
/** Paths that must never be reachable from outside the cluster. */
const PRIVATE_PATHS = ['/metrics', '/healthz', '/readyz'];

export function daprChartDir(): string {
  return path.join(paths.goModCache, 'github.com', 'dapr', `dapr@v${DAPR_VERSION}`, 'charts', 'dapr');
}

async function ensureDaprChart(): Promise<string> {
  if (!fs.existsSync(path.join(daprChartDir(), 'Chart.yaml'))) {
    const step = 'downloading the Dapr module (its Helm chart)';
    await exec(checkGo(step, [1, 26, 5], `Dapr ${DAPR_VERSION}`), ['mod', 'download', `github.com/dapr/dapr@v${DAPR_VERSION}`], { step, log: paths.installLog('dapr-chart'), env: goEnv() });
  }
  return daprChartDir();
}

const envOf = (d: Doc): Map<string, Doc> => new Map((d.spec.template.spec.containers[0].env as Doc[]).map((e) => [e.name, e]));

/** The chart's defaults (values.yaml alone): what an install gets unless it says otherwise. */
export function defaultsDefects(docs: Doc[], where: string): Defect[] {
  const out: Defect[] = [];
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const kafkaUsers = new Set<string>();
  for (const d of deployments) {
    const env = envOf(d);
    const name = d.metadata.name;
    if (env.has('PGSSLMODE') && env.get('PGSSLMODE')?.value !== 'verify-full') out.push({ where, message: `${name}: PGSSLMODE defaults to ${env.get('PGSSLMODE')?.value}, not verify-full` });
    if (env.get('KAFKA_TLS')?.value !== 'true') out.push({ where, message: `${name}: Kafka without TLS by default (KAFKA_TLS=${env.get('KAFKA_TLS')?.value})` });
    if (!/^scram-sha-(256|512)$/.test(env.get('KAFKA_SASL_MECHANISM')?.value ?? '')) out.push({ where, message: `${name}: Kafka without SASL/SCRAM by default (${env.get('KAFKA_SASL_MECHANISM')?.value})` });
    const user = env.get('KAFKA_SASL_USERNAME')?.valueFrom?.secretKeyRef?.name;
    if (user) {
      if (kafkaUsers.has(user)) out.push({ where, message: `${name}: shares its Kafka user's Secret ${user} with another service (the ACLs are per user)` });
      kafkaUsers.add(user);
    }
  }
  return out;
}

/** The ingress: the API's paths and the web page, nothing else. */
export function ingressDefects(docs: Doc[], where: string, values: Doc): Defect[] {
  const out: Defect[] = [];
  const apiPaths = Object.keys(openApiDocument.paths).filter((p) => p.startsWith('/v1/') && p !== '/v1/openapi.json');
  for (const ing of docs.filter((d) => d.kind === 'Ingress')) {
    const routes: Array<{ path: string; pathType: string }> = ing.spec.rules.flatMap((r: Doc) => r.http.paths);
    const reaches = (p: string) => routes.some((r) => (r.pathType === 'Exact' ? r.path === p : p === r.path || p.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`)));
    for (const p of PRIVATE_PATHS) if (reaches(p)) out.push({ where, message: `Ingress/${ing.metadata.name} routes ${p} to the outside` });
    if (reaches('/v1/openapi.json') && !values.ingress?.exposeOpenApi) out.push({ where, message: `Ingress/${ing.metadata.name} routes the OpenAPI document without ingress.exposeOpenApi` });
    for (const p of apiPaths) {
      const concrete = p.replace(/\{[^}]+\}/g, 'x');
      if (!reaches(concrete)) out.push({ where, message: `Ingress/${ing.metadata.name} does not route the API path ${p} (add its prefix to ingress.apiPaths)` });
    }
  }
  return out;
}

/** Pods: own ServiceAccount, no API token; Dapr's tokens; Prometheus only on metrics ports. */
export function podDefects(docs: Doc[], where: string): Defect[] {
  const out: Defect[] = [];
  const accounts = new Map(docs.filter((d) => d.kind === 'ServiceAccount').map((d) => [d.metadata.name, d]));
  const seen = new Set<string>();
  for (const d of docs.filter((x) => x.kind === 'Deployment')) {
    const name = d.metadata.name;
    const pod = d.spec.template;
    const sa = pod.spec.serviceAccountName;
    if (!sa || sa === 'default') out.push({ where, message: `Deployment/${name} runs with the default service account` });
    else if (seen.has(sa)) out.push({ where, message: `Deployment/${name} shares the service account ${sa}` });
    else if (!accounts.has(sa)) out.push({ where, message: `Deployment/${name}: no ServiceAccount ${sa} rendered` });
    else if (accounts.get(sa)?.automountServiceAccountToken !== false) out.push({ where, message: `ServiceAccount/${sa} mounts an API token` });
    if (sa) seen.add(sa);
    if (pod.spec.automountServiceAccountToken !== false) out.push({ where, message: `Deployment/${name} mounts a Kubernetes API token (automountServiceAccountToken is not false)` });

    const a = pod.metadata.annotations ?? {};
    const env = envOf(d);
    const apiSecret = a['dapr.io/api-token-secret'];
    if (!apiSecret) out.push({ where, message: `Deployment/${name}: its sidecar answers any caller (no dapr.io/api-token-secret)` });
    else if (env.get('DAPR_API_TOKEN')?.valueFrom?.secretKeyRef?.name !== apiSecret) out.push({ where, message: `Deployment/${name}: DAPR_API_TOKEN is not from ${apiSecret}` });
    if (a['dapr.io/app-port']) {
      const appSecret = a['dapr.io/app-token-secret'];
      if (!appSecret) out.push({ where, message: `Deployment/${name}: Dapr calls its app port without an app token (no dapr.io/app-token-secret)` });
      else if (env.get('APP_API_TOKEN')?.valueFrom?.secretKeyRef?.name !== appSecret) out.push({ where, message: `Deployment/${name}: APP_API_TOKEN is not from ${appSecret}` });
    }

    const ports: Doc[] = pod.spec.containers[0].ports ?? [];
    const metricsPorts = new Set([ports.find((p) => p.name === 'metrics')?.containerPort, DAPR_KUBERNETES_PORTS.metrics]);
    const appPort = ports.find((p) => p.name === 'http')?.containerPort;
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (pod.spec.containers[0][probe]?.httpGet?.port !== 'metrics') out.push({ where, message: `Deployment/${name}: ${probe} is not on the metrics port` });
    }
    const np = docs.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === name);
    if (!np) continue;
    for (const rule of np.spec.ingress ?? []) {
      const rulePorts: number[] = (rule.ports ?? []).map((p: Doc) => p.port);
      const fromElsewhere = (rule.from ?? []).some((f: Doc) => f.namespaceSelector || f.ipBlock);
      if (!fromElsewhere) continue;
      const scrapes = rulePorts.some((p) => metricsPorts.has(p));
      if (scrapes && rulePorts.some((p) => !metricsPorts.has(p))) {
        out.push({ where, message: `NetworkPolicy/${name} lets the metrics scraper reach port(s) ${rulePorts.filter((p) => !metricsPorts.has(p)).join(', ')}, not only the metrics ports` });
      }
      if (!scrapes && name !== 'todo-gateway') out.push({ where, message: `NetworkPolicy/${name} lets another namespace reach ports ${rulePorts.join(', ')}` });
      if (!scrapes && name === 'todo-gateway' && rulePorts.some((p) => p !== appPort)) out.push({ where, message: `NetworkPolicy/${name}: the ingress controller may reach more than the API port` });
    }
  }
  return out;
}

/** The sidecars' Configuration and the components. */
export function daprResourceDefects(docs: Doc[], where: string): Defect[] {
  const out: Defect[] = [];
  for (const c of docs.filter((d) => d.kind === 'Configuration')) {
    const spec = c.spec ?? {};
    if (spec.accessControl?.defaultAction !== 'deny') out.push({ where, message: `Configuration/${c.metadata.name}: accessControl does not deny by default` });
    for (const p of spec.accessControl?.policies ?? []) if (p.defaultAction !== 'deny') out.push({ where, message: `Configuration/${c.metadata.name}: policy of ${p.appId} allows by default` });
    const scopes: Doc[] = spec.secrets?.scopes ?? [];
    if (scopes.length === 0 || scopes.some((s) => s.defaultAccess !== 'deny')) out.push({ where, message: `Configuration/${c.metadata.name}: secrets are not denied by default (secrets.scopes)` });
    if (spec.mtls) out.push({ where, message: `Configuration/${c.metadata.name} has an mtls block, which an app's Configuration does not control (the control plane's daprsystem does)` });
  }
  for (const c of docs.filter((d) => d.kind === 'Component')) {
    if (!Array.isArray(c.scopes) || c.scopes.length === 0) out.push({ where, message: `Component/${c.metadata.name} is loaded by every app (no scopes)` });
  }
  return out;
}

/** mTLS, as the control plane's daprsystem Configuration (rendered from Dapr's chart) says. */
export function controlPlaneDefects(docs: Doc[], where: string, trustDomain: string): Defect[] {
  const sys = docs.find((d) => d.kind === 'Configuration' && d.metadata?.name === 'daprsystem');
  if (!sys) return [{ where, message: 'Dapr\'s chart rendered no daprsystem Configuration' }];
  const out: Defect[] = [];
  if (sys.spec?.mtls?.enabled !== true) out.push({ where, message: 'the control plane\'s daprsystem Configuration turns mTLS off (global.mtls.enabled)' });
  if (sys.spec?.mtls?.controlPlaneTrustDomain !== trustDomain) {
    out.push({ where, message: `the control plane's trust domain is ${sys.spec?.mtls?.controlPlaneTrustDomain}, the chart's dapr.controlPlaneTrustDomain ${trustDomain}` });
  }
  return out;
}

export function terraformDefects(root: string): Defect[] {
  const file = 'terraform/oke/variables.tf';
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const block = /variable "api_allowed_cidrs" \{([\s\S]*?)\n\}/.exec(text)?.[1];
  if (block === undefined) return [{ where: file, message: 'no variable api_allowed_cidrs (the Kubernetes API\'s allowed address ranges)' }];
  const out: Defect[] = [];
  if (/^\s*default\s*=/m.test(block)) out.push({ where: file, message: 'api_allowed_cidrs has a default: it must be required, so nobody opens the Kubernetes API by omission' });
  if (!/validation\s*\{[\s\S]*\/0/.test(block)) out.push({ where: file, message: 'api_allowed_cidrs does not refuse a /0' });
  return out;
}

export function workflowDefects(root: string): Defect[] {
  const dir = path.join(root, '.github', 'workflows');
  if (!fs.existsSync(dir)) return [];
  const out: Defect[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)/.exec(l);
      if (m && !m[1].startsWith('./') && !/@[0-9a-f]{40}$/.test(m[1])) out.push({ where: `.github/workflows/${f}:${i + 1}`, message: `${m[1]} is not pinned by a commit (owner/repo@<40-hex sha> # tag)` });
    });
  }
  return out;
}

async function renderDocs(ctx: { root: string; tmp: string }, valuesFile: string, extra: string[] = []): Promise<{ docs?: Doc[]; defects: Defect[] }> {
  const r = await renderChart(ctx, valuesFile, extra);
  if (r.status !== 0) return { defects: renderDefects(r.stderr, valuesFile) };
  return { docs: (yaml.loadAll(r.stdout) as Doc[]).filter(Boolean), defects: [] };
}

export const securityPosture: DeployCheck = {
  name: 'security posture: chart defaults (verify-full, SASL_SSL), ingress, service accounts, Dapr tokens and ACLs, NetworkPolicies, control-plane mTLS, Terraform API CIDRs, pinned actions',
  prepare: async () => {
    await installGoTool(HELM);
    await ensureDaprChart();
  },
  run: async (ctx) => {
    const defects: Defect[] = [];
    if (!fs.existsSync(path.join(ctx.root, CHART_DIR, 'Chart.yaml'))) return [{ where: CHART_DIR, message: 'no Chart.yaml' }];
    for (const values of valuesFiles(ctx.root)) {
      const where = `${CHART_DIR} (${values})`;
      const r = await renderDocs(ctx, values);
      if (!r.docs) {
        defects.push(...r.defects);
        continue;
      }
      const v = { ...(yaml.load(fs.readFileSync(path.join(ctx.root, CHART_DIR, 'values.yaml'), 'utf8')) as Doc) };
      const own = yaml.load(fs.readFileSync(path.join(ctx.root, CHART_DIR, values), 'utf8')) as Doc | undefined;
      v.ingress = { ...v.ingress, ...(own?.ingress ?? {}) };
      if (values === 'values.yaml') defects.push(...defaultsDefects(r.docs, where));
      defects.push(...ingressDefects(r.docs, where, v), ...podDefects(r.docs, where), ...daprResourceDefects(r.docs, where));
    }
    const cpValues = path.join(ctx.root, DAPR_CONTROL_PLANE_VALUES);
    if (!fs.existsSync(cpValues)) {
      defects.push({ where: DAPR_CONTROL_PLANE_VALUES, message: 'missing: the values Dapr\'s control plane is installed with (it decides mTLS)' });
    } else {
      const chartValues = yaml.load(fs.readFileSync(path.join(ctx.root, CHART_DIR, 'values.yaml'), 'utf8')) as Doc;
      const r = await runHelm(['template', 'dapr', await ensureDaprChart(), '--namespace', chartValues.dapr.controlPlaneNamespace, '--kube-version', kubeVersion, '-f', cpValues], ctx);
      if (r.status !== 0) defects.push({ where: DAPR_CONTROL_PLANE_VALUES, message: `helm template of Dapr's chart failed: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` });
      else defects.push(...controlPlaneDefects((yaml.loadAll(r.stdout) as Doc[]).filter(Boolean), DAPR_CONTROL_PLANE_VALUES, chartValues.dapr.controlPlaneTrustDomain));
    }
    if (fs.existsSync(path.join(ctx.root, 'terraform'))) defects.push(...terraformDefects(ctx.root));
    defects.push(...workflowDefects(ctx.root));
    return defects;
  },
};
