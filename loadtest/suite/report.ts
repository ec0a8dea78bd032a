/**
 * What a suite run leaves behind: the results JSON (every run's figures, the machine, the
 * versions, the exact commands) and the Markdown of loadtest/RESULTS.md's suite sections: the
 * summary of figures against the goals, each scenario's figures, the resource cost, the 1 → 2
 * host scaling and the soak. Formatting only; nothing here measures.
 */
import type { Summary } from '../kit';
import { GOALS, judge, type Goal } from './goals';
import { figure, formatFigure, num, type Figure, type ScenarioResult } from './figures';

export interface RunInfo {
  date: string;
  command: string;
  minutes: number;
  machine: { cores: number; memoryGiB: number; cpu: string };
  versions: Record<string, string>;
  loadAverage: { start: number[]; end: number[] };
  runs: number;
  /** The share of new requests the stack traced (TRACING_SAMPLING_RATE, services and sidecars); absent in runs before it was recorded. */
  tracingSamplingRate?: number;
}

/** How the run traced, for the lines that say what a figure is. */
function tracingNote(info: RunInfo): string {
  return info.tracingSamplingRate === undefined ? '' : ` Tracing: ${info.tracingSamplingRate} of new requests sampled (TRACING_SAMPLING_RATE, services and sidecars).`;
}

export function findFigure(results: ScenarioResult[], id: string): { figure: Figure; scenario: ScenarioResult } | undefined {
  for (const scenario of results) {
    const figure = scenario.figures.find((f) => f.id === id);
    if (figure) return { figure, scenario };
  }
  return undefined;
}

const mark = { met: '✅ met', missed: '❌ missed', 'not measured': '– not measured' } as const;

export function goalRows(results: ScenarioResult[], goals: Goal[] = GOALS): string[] {
  return goals.map((g) => {
    const found = findFigure(results, g.figure);
    const j = judge(g, found?.figure);
    const where = found ? `${found.scenario.title.replace(/ \(.*\)$/, '')}: ${found.figure.label}` : g.figure.startsWith('soak.') ? 'Soak (opt-in: `npm run bench -- --soak`)' : g.figure;
    const runs = j.runs > 1 ? ` (${j.runsMet} of ${j.runs} runs)` : '';
    return `| ${g.text} | ${g.source} | ${where} | ${found ? formatFigure(found.figure) : 'not measured'} | ${mark[j.verdict]}${j.verdict === 'not measured' ? '' : runs} |`;
  });
}

export function header(info: RunInfo, extra: string[] = []): string {
  const v = Object.entries(info.versions).map(([k, x]) => `${k} ${x}`).join(', ');
  return [
    `Command: \`${info.command}\` (${info.date.slice(0, 16)}Z, ${info.minutes.toFixed(0)} min in all). Machine: ${info.machine.cores} cores (${info.machine.cpu}), ${info.machine.memoryGiB} GiB; the whole stack and k6 share it with whatever else ran on the machine (load average ${info.loadAverage.start.map((x) => x.toFixed(1)).join(' / ')} at the start, ${info.loadAverage.end.map((x) => x.toFixed(1)).join(' / ')} at the end; the CPU the other processes took is measured below), so ratios against same-run baselines are the figures to compare across runs. Versions: ${v}.${tracingNote(info)}`,
    `Figures: median (min–max) of ${info.runs} runs, unless a row says otherwise. Every run, its k6 summary and its thresholds are in \`loadtest/results/${info.date.slice(0, 19).replace(/:/g, '-')}.json\`.`,
    ...extra,
  ].join('\n\n');
}

/** How much of the machine other people's work took during the runs: every run's "other" cores. */
export function otherLoad(results: ScenarioResult[]): Figure | undefined {
  const runs = results.flatMap((r) => r.figures.filter((f) => f.id.endsWith('.otherCores')).flatMap((f) => f.runs));
  return runs.length ? figure('otherCores', 'other', 'cores', runs) : undefined;
}

/** The line above each scenario's own section: the command that made it and what a figure is. */
export function shortHeader(info: RunInfo): string {
  return `Command: \`${info.command}\` (${info.date.slice(0, 16)}Z; machine and versions in the summary above). Figures: median (min–max) of ${info.runs} run${info.runs > 1 ? 's' : ''}${info.runs > 1 ? '' : ' (see below)'}.${tracingNote(info)}`;
}

export function summarySection(info: RunInfo, results: ScenarioResult[], notes: string[]): string {
  const other = otherLoad(results);
  if (other) notes = [`During the k6 runs, processes outside the stack and k6 used ${formatFigure(other)} of the ${info.machine.cores} cores (median (min–max) over ${other.runs.length} runs; from /proc/stat minus the stack's and k6's own CPU).`, ...notes];
  const ratios = results.flatMap((r) => r.figures.filter((f) => f.unit === '×').map((f) => `| ${r.title.replace(/ \(.*\)$/, '')} | ${f.label} | ${formatFigure(f)} |`));
  return [
    header(info, notes),
    '',
    '| goal | from | figure (scenario: what) | measured | verdict on the median |',
    '|---|---|---|---|---|',
    ...goalRows(results),
    '',
    'Ratios against a baseline measured in the same run (less sensitive to the machine being shared):',
    '',
    '| scenario | ratio | measured |',
    '|---|---|---|',
    ...ratios,
  ].join('\n');
}

function coresTable(cores: Record<string, Summary>, memory?: Record<string, { rss: Summary; pss: Summary }>): string[] {
  const names = Object.keys(cores).sort((a, b) => cores[b].median - cores[a].median);
  const rng = (s: Summary, d = 2) => `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})`;
  if (memory) {
    return ['| process | cores used | RSS MiB | PSS MiB |', '|---|---|---|---|',
      ...names.map((n) => `| ${n} | ${rng(cores[n])} | ${memory[n] ? rng(memory[n].rss, 0) : ''} | ${memory[n] ? rng(memory[n].pss, 0) : ''} |`)];
  }
  return [`cores used (median): ${names.map((n) => `${n} ${cores[n].median.toFixed(2)}`).join(', ')}`];
}

export function scenarioSection(r: ScenarioResult): string {
  const missed = r.thresholdsMissed.map((m) => m.length).reduce((a, b) => a + b, 0);
  const lines = [
    `${r.setup[0].toUpperCase()}${r.setup.slice(1)}.`,
    '',
    `${r.commands.some((c) => c.startsWith('k6')) ? 'k6 run by the suite' : 'Run by the suite'}: ${r.commands.map((c) => `\`${c}\``).join('; ')}${r.commands.some((c) => c.startsWith('k6')) ? ' (the runner passes the users, their tokens and the URLs in a JSON file named by BENCH_DATA)' : ''}.`,
    '',
    '| figure | measured |',
    '|---|---|',
    ...r.figures.map((f) => `| ${f.label} | ${formatFigure(f)} |`),
  ];
  if (r.cores) lines.push('', ...coresTable(r.cores, r.memoryMiB));
  if (r.thresholdsMissed.length) lines.push('', missed ? `k6 thresholds missed: ${[...new Set(r.thresholdsMissed.flat())].join('; ')}.` : 'Every k6 threshold was met.');
  for (const n of r.notes) lines.push('', n);
  return lines.join('\n');
}

/** The console's view of a quick run: one line per goal. */
export function consoleSummary(results: ScenarioResult[]): string {
  return GOALS.map((g) => {
    const found = findFigure(results, g.figure);
    const j = judge(g, found?.figure);
    return `  ${j.verdict === 'met' ? 'met   ' : j.verdict === 'missed' ? 'MISSED' : '  –   '} ${g.text.padEnd(36)} ${found ? `${found.figure.label}: ${formatFigure(found.figure)}` : 'not measured'}`;
  }).join('\n');
}

export { num };
