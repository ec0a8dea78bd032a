/**
 * The dashboard check: every query of every Grafana dashboard in monitoring/dashboards parses as
 * PromQL and names only metrics that our services or their Dapr sidecars export
 * (monitoring/exported-metrics.txt). promtool is the parser: the queries become recording rules of
 * a throwaway rules file, one group per query, and `promtool check rules` names each group that
 * does not parse.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Defect, DeployCheck } from './check';
import { DASHBOARDS_DIR, readDashboard, type PanelQuery } from './dashboards';
import { loadExportedMetrics, problemWithName } from './exportedMetrics';
import { selectedNames } from './promqlNames';
import { runPromtool } from './promtoolRun';
import { installPromtool } from '../install/promtool';

/** promtool's verdict on each query: one defect per query that does not parse. */
export async function parseErrors(queries: PanelQuery[], tmp: string): Promise<Defect[]> {
  if (queries.length === 0) return [];
  const file = path.join(tmp, 'dashboard-queries.rules.yaml');
  const groups = queries.map((q, i) => ({ name: `q${i}`, rules: [{ record: 'dashboard_query', expr: q.promql }] }));
  fs.writeFileSync(file, yaml.dump({ groups }, { lineWidth: -1 }));
  const { code, output } = await runPromtool(['check', 'rules', '--lint=none', file], tmp);
  if (code === 0) return [];
  const defects: Defect[] = [];
  for (const line of output.split('\n')) {
    const m = /group "q(\d+)", rule \d+, "[^"]*": (.*)$/.exec(line);
    if (m) defects.push({ where: queries[Number(m[1])].where, message: `${m[2]} in: ${queries[Number(m[1])].expr}` });
  }
  // Anything promtool said that names no query (should not happen) is still a defect.
  if (defects.length === 0) defects.push({ where: DASHBOARDS_DIR, message: `promtool check rules failed on the dashboard queries: ${output.trim()}` });
  return defects;
}

export const dashboardCheck: DeployCheck = {
  name: 'Grafana dashboards: every query parses as PromQL (promtool) and names only metrics we export',
  prepare: async () => {
    await installPromtool();
  },
  run: async (ctx) => {
    const { metrics, defects } = loadExportedMetrics(ctx.root);
    const dir = path.join(ctx.root, DASHBOARDS_DIR);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
    if (files.length === 0) return [...defects, { where: DASHBOARDS_DIR, message: 'no dashboards (*.json) found' }];

    const queries: PanelQuery[] = [];
    const uids = new Map<string, string>();
    for (const f of files) {
      const rel = `${DASHBOARDS_DIR}/${f}`;
      const d = readDashboard(rel, fs.readFileSync(path.join(dir, f), 'utf8'));
      defects.push(...d.defects);
      if (d.uid) {
        if (uids.has(d.uid)) defects.push({ where: rel, message: `uid ${JSON.stringify(d.uid)} is also the uid of ${uids.get(d.uid)}` });
        uids.set(d.uid, rel);
      }
      queries.push(...d.queries);
    }
    defects.push(...(await parseErrors(queries, ctx.tmp)));
    for (const q of queries) {
      const { names, unresolved } = selectedNames(q.promql);
      for (const u of unresolved) defects.push({ where: q.where, message: `${u}: the metric it selects cannot be checked; name it` });
      for (const n of names) {
        const problem = problemWithName(metrics, n, false);
        if (problem) defects.push({ where: q.where, message: problem });
      }
    }
    return defects;
  },
};
