/**
 * The alert rules check (monitoring/alerts): `promtool check rules` on every *.rules.yaml,
 * `promtool test rules` on every *.test.yaml, and what promtool does not know about our rules:
 * every alert has a severity, a summary, a description and a runbook that exists in
 * monitoring/README.md; every alert has a unit test where it fires and one where it stays quiet;
 * every metric a rule names is on monitoring/exported-metrics.txt (external ones allowed here).
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Defect, DeployCheck } from './check';
import { loadExportedMetrics, problemWithName } from './exportedMetrics';
import { selectedNames } from './promqlNames';
import { runPromtool } from './promtoolRun';
import { installPromtool } from '../install/promtool';

export const ALERTS_DIR = 'monitoring/alerts';
export const RUNBOOKS_FILE = 'monitoring/README.md';
export const SEVERITIES = ['critical', 'warning'];

interface Rule {
  alert?: string;
  record?: string;
  expr?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

interface RuleFile {
  groups?: Array<{ name?: string; rules?: Rule[] }>;
}

interface TestFile {
  tests?: Array<{ name?: string; alert_rule_test?: Array<{ alertname?: string; exp_alerts?: unknown[] | null }> }>;
}

/** The runbook link an alert must carry: the README heading named like the alert, as GitHub anchors it. */
export const runbookUrl = (alert: string): string => `${RUNBOOKS_FILE}#${alert.toLowerCase()}`;

function readYaml<T>(file: string, rel: string, defects: Defect[]): T | undefined {
  try {
    return yaml.load(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    defects.push({ where: rel, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

/** Defects from `promtool check rules` output: one per error line. */
function checkRulesDefects(output: string, rel: string): Defect[] {
  const defects: Defect[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\S+\.ya?ml): (?:(\d+):\d+: )?(.*)$/.exec(line);
    if (m && !/^Checking /.test(line)) defects.push({ where: m[2] ? `${rel}:${m[2]}` : rel, message: m[3] });
  }
  return defects.length ? defects : [{ where: rel, message: `promtool check rules failed: ${output.trim()}` }];
}

/** Defects from `promtool test rules` output: one per failed test case. */
function testRulesDefects(output: string, rel: string): Defect[] {
  const failed = output.split(/FAILED:\s*\n/).slice(1).join('\n');
  const blocks = failed.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return blocks.length ? blocks.map((b) => ({ where: rel, message: `promtool test rules: ${b.replace(/\s+/g, ' ')}` }))
    : [{ where: rel, message: `promtool test rules failed: ${output.trim()}` }];
}

/** The alert names that README.md has a heading for. */
function runbookHeadings(root: string): Set<string> {
  const file = path.join(root, RUNBOOKS_FILE);
  if (!fs.existsSync(file)) return new Set();
  return new Set([...fs.readFileSync(file, 'utf8').matchAll(/^#{2,4}\s+(\S+)\s*$/gm)].map((m) => m[1]));
}

export const alertRulesCheck: DeployCheck = {
  name: 'Prometheus alert rules: promtool check rules, promtool test rules, severities, runbooks, tests and metric names',
  prepare: async () => {
    await installPromtool();
  },
  run: async (ctx) => {
    const { metrics, defects } = loadExportedMetrics(ctx.root);
    const dir = path.join(ctx.root, ALERTS_DIR);
    const list = (suffix: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort() : []);
    const ruleFiles = list('.rules.yaml');
    const testFiles = list('.test.yaml');
    if (ruleFiles.length === 0) return [...defects, { where: ALERTS_DIR, message: 'no alert rules (*.rules.yaml) found' }];
    if (testFiles.length === 0) defects.push({ where: ALERTS_DIR, message: 'no rule unit tests (*.test.yaml) found' });

    for (const f of ruleFiles) {
      const rel = `${ALERTS_DIR}/${f}`;
      const r = await runPromtool(['check', 'rules', '--lint=none', rel], ctx.root);
      if (r.code !== 0) defects.push(...checkRulesDefects(r.output, rel));
    }
    for (const f of testFiles) {
      const rel = `${ALERTS_DIR}/${f}`;
      const r = await runPromtool(['test', 'rules', rel], ctx.root);
      if (r.code !== 0) defects.push(...testRulesDefects(r.output, rel));
    }

    const headings = runbookHeadings(ctx.root);
    const alerts = new Map<string, string>();
    for (const f of ruleFiles) {
      const rel = `${ALERTS_DIR}/${f}`;
      const doc = readYaml<RuleFile>(path.join(dir, f), rel, defects);
      for (const g of doc?.groups ?? []) {
        for (const rule of g.rules ?? []) {
          const name = rule.alert ?? rule.record ?? '(unnamed)';
          const where = `${rel} › ${name}`;
          if (typeof rule.expr === 'string') {
            for (const n of selectedNames(rule.expr).names) {
              const problem = problemWithName(metrics, n, true);
              if (problem) defects.push({ where, message: problem });
            }
          }
          if (!rule.alert) continue;
          if (alerts.has(rule.alert)) defects.push({ where, message: `alert ${rule.alert} is also defined in ${alerts.get(rule.alert)}` });
          alerts.set(rule.alert, rel);
          const severity = rule.labels?.severity;
          if (typeof severity !== 'string' || !SEVERITIES.includes(severity)) {
            defects.push({ where, message: `label severity must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(severity ?? null)}` });
          }
          for (const a of ['summary', 'description']) {
            const v = rule.annotations?.[a];
            if (typeof v !== 'string' || !v.trim()) defects.push({ where, message: `annotation ${a} is missing` });
          }
          if (rule.annotations?.runbook_url !== runbookUrl(rule.alert)) {
            defects.push({ where, message: `annotation runbook_url must be ${runbookUrl(rule.alert)}, not ${JSON.stringify(rule.annotations?.runbook_url ?? null)}` });
          }
          if (!headings.has(rule.alert)) defects.push({ where, message: `${RUNBOOKS_FILE} has no runbook heading "### ${rule.alert}"` });
        }
      }
    }

    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const f of testFiles) {
      const doc = readYaml<TestFile>(path.join(dir, f), `${ALERTS_DIR}/${f}`, defects);
      for (const t of doc?.tests ?? []) {
        for (const a of t.alert_rule_test ?? []) {
          if (!a.alertname) continue;
          (a.exp_alerts && a.exp_alerts.length > 0 ? fires : quiet).add(a.alertname);
        }
      }
    }
    for (const [alert, rel] of alerts) {
      if (!fires.has(alert)) defects.push({ where: `${rel} › ${alert}`, message: `no unit test (${ALERTS_DIR}/*.test.yaml) where ${alert} fires` });
      if (!quiet.has(alert)) defects.push({ where: `${rel} › ${alert}`, message: `no unit test (${ALERTS_DIR}/*.test.yaml) where ${alert} stays quiet` });
    }
    return defects;
  },
};
