/**
 * What the dashboard check reads from a Grafana dashboard (monitoring/dashboards/*.json): every
 * panel query, with Grafana's variables replaced so that promtool can parse it as PromQL, and
 * what is wrong with the dashboard's shape (its data source must be the `${datasource}` variable,
 * so that it works with whichever Prometheus the operator picks).
 */
import type { Defect } from './check';

export const DASHBOARDS_DIR = 'monitoring/dashboards';

export interface PanelQuery {
  /** e.g. `monitoring/dashboards/api.json › "Latency p99 by route" › A`. */
  where: string;
  /** The query as written in the dashboard. */
  expr: string;
  /** The query with Grafana's variables replaced: what promtool parses. */
  promql: string;
}

/** Grafana's built-in variables that stand for a duration or a number. */
const BUILTINS: Record<string, string> = {
  __rate_interval: '5m', __interval: '1m', __range: '1h', __auto: '1m',
  __rate_interval_ms: '300000', __interval_ms: '60000', __range_ms: '3600000', __range_s: '3600',
};

const PANELS_WITHOUT_QUERIES = new Set(['row', 'text', 'dashlist', 'news', 'annolist']);

interface Panel {
  type?: string;
  title?: string;
  datasource?: unknown;
  targets?: Array<{ refId?: string; expr?: string; datasource?: unknown; hide?: boolean }>;
  panels?: Panel[];
}

interface Dashboard {
  uid?: string;
  title?: string;
  panels?: Panel[];
  templating?: { list?: Array<{ name?: string; type?: string; query?: unknown; current?: { value?: unknown } }> };
}

/** Replaces $name, ${name}, ${name:format} and [[name]]: built-ins by a duration, the dashboard's own variables by a value. */
export function substituteVariables(expr: string, variables: Map<string, string>): { promql: string; unknown: string[] } {
  const unknown: string[] = [];
  const value = (name: string, whole: string): string => {
    if (name in BUILTINS) return BUILTINS[name];
    const v = variables.get(name);
    if (v !== undefined) return v;
    unknown.push(whole);
    return whole;
  };
  const promql = expr.replace(/\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]|\$([A-Za-z_]\w*)/g,
    (whole, a: string | undefined, b: string | undefined, c: string | undefined) => value((a ?? b ?? c)!, whole));
  return { promql, unknown: [...new Set(unknown)] };
}

function isDatasourceVariable(ds: unknown): boolean {
  if (typeof ds === 'string') return ds === '${datasource}' || ds === '$datasource';
  if (ds && typeof ds === 'object') {
    const { uid, type } = ds as { uid?: unknown; type?: unknown };
    return (uid === '${datasource}' || uid === '$datasource') && (type === undefined || type === 'prometheus');
  }
  return false;
}

function flatten(panels: Panel[] | undefined): Panel[] {
  return (panels ?? []).flatMap((p) => [p, ...flatten(p.panels)]);
}

/** The queries of one dashboard and the defects of its shape; `file` is the path shown in defects. */
export function readDashboard(file: string, text: string): { uid?: string; queries: PanelQuery[]; defects: Defect[] } {
  const defects: Defect[] = [];
  let d: Dashboard;
  try {
    d = JSON.parse(text) as Dashboard;
  } catch (err) {
    return { queries: [], defects: [{ where: file, message: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (!d || typeof d !== 'object' || !Array.isArray(d.panels)) {
    return { queries: [], defects: [{ where: file, message: 'not a Grafana dashboard: no "panels" array' }] };
  }
  if (!d.uid) defects.push({ where: file, message: 'the dashboard has no uid (links and provisioning need a stable one)' });
  if (!d.title) defects.push({ where: file, message: 'the dashboard has no title' });

  const vars = d.templating?.list ?? [];
  const dsVar = vars.find((v) => v.name === 'datasource');
  if (!dsVar || dsVar.type !== 'datasource' || dsVar.query !== 'prometheus') {
    defects.push({ where: file, message: 'the dashboard needs a template variable "datasource" of type datasource with query "prometheus"' });
  }
  const variables = new Map<string, string>();
  for (const v of vars) {
    if (!v.name || v.name === 'datasource') continue;
    const current = v.current?.value;
    variables.set(v.name, typeof current === 'string' && current !== '$__all' ? current : '.*');
  }

  const queries: PanelQuery[] = [];
  for (const p of flatten(d.panels)) {
    const type = p.type ?? 'graph';
    if (PANELS_WITHOUT_QUERIES.has(type)) continue;
    const panelWhere = `${file} › ${JSON.stringify(p.title ?? '(untitled)')}`;
    if (!isDatasourceVariable(p.datasource)) {
      defects.push({ where: panelWhere, message: `the panel's data source must be the \${datasource} variable, not ${JSON.stringify(p.datasource ?? null)}` });
    }
    const targets = (p.targets ?? []).filter((t) => !t.hide);
    if (targets.length === 0) defects.push({ where: panelWhere, message: 'the panel has no query' });
    for (const t of targets) {
      const where = `${panelWhere} › ${t.refId ?? '?'}`;
      if (t.datasource !== undefined && !isDatasourceVariable(t.datasource)) {
        defects.push({ where, message: `the query's data source must be the \${datasource} variable, not ${JSON.stringify(t.datasource)}` });
      }
      if (typeof t.expr !== 'string' || !t.expr.trim()) {
        defects.push({ where, message: 'the query has no PromQL expression (expr)' });
        continue;
      }
      const { promql, unknown } = substituteVariables(t.expr, variables);
      for (const u of unknown) defects.push({ where, message: `${u} is not a variable of this dashboard nor one of Grafana's built-ins` });
      queries.push({ where, expr: t.expr, promql });
    }
  }
  return { uid: d.uid, queries, defects };
}
