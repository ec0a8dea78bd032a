/**
 * monitoring/exported-metrics.txt: the metric names our processes really export, with their type
 * and which process exports them. Dashboards and alert rules may name only these (checked offline
 * by ./dashboardCheck.ts and ./alertRulesCheck.ts); that each one really is exported, with samples,
 * is checked against the running stack by ./exportedMetrics.e2e.test.ts.
 *
 * One metric a line: `name type sources [-- note]`, sources a comma-separated list of the stack's
 * processes, or `external` for a name another exporter provides (kube-state-metrics, cAdvisor),
 * which then needs a note saying who and why; only alert rules may use those.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect } from './check';

export const EXPORTED_METRICS_FILE = path.join('monitoring', 'exported-metrics.txt');

export const METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** The processes of the local stack that serve /metrics (the services on their app port, each daprd on its metrics port). */
export const SOURCES = ['gateway', 'actors', 'subscribers', 'daprd-gateway', 'daprd-actors', 'daprd-subscribers'] as const;
export type Source = (typeof SOURCES)[number];

export interface ExportedMetric {
  name: string;
  type: MetricType;
  /** Empty for an external metric. */
  sources: Source[];
  /** For an external metric: who exports it and why we may use it. */
  external?: string;
  line: number;
}

export interface ListProblem {
  line: number;
  message: string;
}

export function parseExportedMetrics(text: string): { metrics: Map<string, ExportedMetric>; problems: ListProblem[] } {
  const metrics = new Map<string, ExportedMetric>();
  const problems: ListProblem[] = [];
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    const [body, ...noteParts] = raw.replace(/^\s*#.*$/, '').split(' -- ');
    const note = noteParts.join(' -- ').trim();
    const fields = body.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) return;
    if (fields.length !== 3) {
      problems.push({ line, message: `expected "name type sources [-- note]", got ${JSON.stringify(raw.trim())}` });
      return;
    }
    const [name, type, sourceList] = fields;
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) problems.push({ line, message: `${JSON.stringify(name)} is not a metric name` });
    if (!(METRIC_TYPES as readonly string[]).includes(type)) problems.push({ line, message: `${name}: type must be one of ${METRIC_TYPES.join(', ')}, not ${JSON.stringify(type)}` });
    if (metrics.has(name)) problems.push({ line, message: `${name} is listed twice (also line ${metrics.get(name)!.line})` });
    let sources: Source[] = [];
    let external: string | undefined;
    if (sourceList === 'external') {
      if (!note) problems.push({ line, message: `${name}: an external metric needs a note after " -- " saying who exports it and why we use it` });
      external = note;
    } else {
      const unknown = sourceList.split(',').filter((s) => !(SOURCES as readonly string[]).includes(s));
      if (unknown.length) problems.push({ line, message: `${name}: unknown source ${unknown.join(', ')} (known: ${SOURCES.join(', ')}, or external)` });
      sources = sourceList.split(',').filter((s): s is Source => (SOURCES as readonly string[]).includes(s));
    }
    metrics.set(name, { name, type: type as MetricType, sources, external, line });
  });
  return { metrics, problems };
}

/**
 * Why a name used in a query is not acceptable, or undefined when it is: it must be listed, or be
 * the _bucket/_sum/_count series of a listed histogram (_sum/_count of a summary); a histogram's
 * bare name selects nothing. External names only where allowExternal (alert rules).
 */
export function problemWithName(metrics: Map<string, ExportedMetric>, name: string, allowExternal: boolean): string | undefined {
  const direct = metrics.get(name);
  if (direct) {
    if (direct.type === 'histogram') return `${name} is a histogram: it is exported as ${name}_bucket, ${name}_sum and ${name}_count, never by its bare name`;
    if (direct.external !== undefined && !allowExternal) return `${name} is not exported by our services or their sidecars (listed as external: ${direct.external}); dashboards may use only what we export`;
    return undefined;
  }
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = m ? metrics.get(m[1]) : undefined;
  if (base && (base.type === 'histogram' || (base.type === 'summary' && m![2] !== 'bucket'))) {
    if (base.external !== undefined && !allowExternal) return `${name} belongs to ${base.name}, listed as external (${base.external}); dashboards may use only what we export`;
    return undefined;
  }
  return `${name} is not in ${EXPORTED_METRICS_FILE}: no service or sidecar of ours is known to export it`;
}

/** The sample names a scrape must contain for this metric to count as exported. */
export function requiredSamples(m: ExportedMetric): string[] {
  if (m.type === 'histogram') return [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`];
  if (m.type === 'summary') return [m.name, `${m.name}_sum`, `${m.name}_count`];
  return [m.name];
}

/** The names of the samples in a Prometheus text exposition (comments and TYPE/HELP lines left out). */
export function sampleNames(exposition: string): Set<string> {
  const out = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{|\s)/.exec(line);
    if (m) out.add(m[1]);
  }
  return out;
}

/** The list in a checkout, with its problems as defects (a missing list is one). */
export function loadExportedMetrics(root: string): { metrics: Map<string, ExportedMetric>; defects: Defect[] } {
  const file = path.join(root, EXPORTED_METRICS_FILE);
  if (!fs.existsSync(file)) return { metrics: new Map(), defects: [{ where: EXPORTED_METRICS_FILE, message: 'the list of exported metrics is missing' }] };
  const { metrics, problems } = parseExportedMetrics(fs.readFileSync(file, 'utf8'));
  return { metrics, defects: problems.map((p) => ({ where: `${EXPORTED_METRICS_FILE}:${p.line}`, message: p.message })) };
}
