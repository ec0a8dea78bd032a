/**
 * A figure of the suite: one number per run (3 runs, or the windows of a single long run), its
 * median with min and max, and the goals it is compared with. Scenario results hold figures and
 * the exact commands that produced them.
 */
import { summarize, type Summary } from '../kit';

export interface Figure {
  /** Stable key, e.g. "mixed.create.p99"; goals refer to it. */
  id: string;
  label: string;
  unit: string;
  runs: number[];
  summary: Summary;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** How it was run: sizes, durations, what a run is. */
  setup: string;
  commands: string[];
  figures: Figure[];
  /** k6 thresholds missed, per run (empty list: all met). */
  thresholdsMissed: string[][];
  /** Per-process cores (and memory, where measured): median of the runs, for the detail tables. */
  cores?: Record<string, Summary>;
  memoryMiB?: Record<string, { rss: Summary; pss: Summary }>;
  notes: string[];
  /** The bench behind it wrote its own RESULTS.md section (only the summary quotes it). */
  ownSection?: boolean;
  /** Raw data kept in the results JSON only (e.g. the soak's samples). */
  extra?: Record<string, unknown>;
}

/** A figure from its runs; NaN runs (not measured) are left out of the summary. */
export function figure(id: string, label: string, unit: string, runs: number[]): Figure {
  const measured = runs.filter((r) => Number.isFinite(r));
  return { id, label, unit, runs, summary: measured.length ? summarize(measured) : { median: Number.NaN, min: Number.NaN, max: Number.NaN } };
}

/** The ratio a/b run by run (runs paired by index), as a figure. */
export function ratio(id: string, label: string, a: Figure, b: Figure): Figure {
  return figure(id, label, '×', a.runs.map((x, i) => x / b.runs[i]));
}

/** Median (min–max) of each key over the runs, for per-process tables. */
export function summarizeKeys(runs: Array<Record<string, number>>): Record<string, Summary> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, summarize(runs.map((r) => r[k] ?? 0))]));
}

/** Formats a number for a table: thousands separated, digits by magnitude. */
export function num(x: number, unit = ''): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const digits = unit === '×' || unit === '%' ? (a >= 10 ? 0 : a >= 1 ? 2 : 3) : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max) unit", or the single value when all runs agree. */
export function formatFigure(f: Figure): string {
  const { median, min, max } = f.summary;
  const u = f.unit === '×' ? '×' : f.unit ? ` ${f.unit}` : '';
  if (!Number.isFinite(median)) return 'not measured';
  return min === max ? `${num(median, f.unit)}${u}` : `${num(median, f.unit)}${u} (${num(min, f.unit)}–${num(max, f.unit)})`;
}
