/** The results table of loadtest/RELIABILITY.md: medians of the latest runs of each scenario. */
import type { Verdict } from './checks';
import { SCENARIOS } from './scenarios';

export interface ScenarioRun {
  scenario: number;
  key: string;
  title: string;
  at: string;
  /** From the fault's injection to its healing. */
  faultS: number;
  notes: string[];
  verdict: Verdict;
}

export const TABLE_START = '<!-- chaos:table (written by npm run chaos) -->';
export const TABLE_END = '<!-- /chaos:table -->';

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number, digits = 0) => (Number.isNaN(x) ? '–' : x.toFixed(digits));

/** One row: the median of each figure over the runs, and, for a zero goal missed in any run, the worst run in brackets. */
export function rowOf(id: number, title: string, runs: ScenarioRun[]): string {
  if (runs.length === 0) return `| ${id} | ${title} | 0 | not run yet |${' |'.repeat(17)}`;
  const m = (f: (v: Verdict) => number, digits = 0) => {
    const xs = runs.map((r) => f(r.verdict));
    const med = fmt(median(xs), digits);
    const worst = Math.max(...xs);
    return worst > median(xs) ? `${med} (max ${fmt(worst, digits)})` : med;
  };
  const collateral = [...new Set(runs.flatMap((r) => r.verdict.collateralExits))];
  return `| ${id} | ${title} | ${runs.length} | ${m((v) => v.ackedWrites)} | ${m((v) => v.lost)} | ${m((v) => v.doubled)} | ${m((v) => v.auditMissing)} | ${m((v) => v.deviceMissing)} | `
    + `${m((v) => v.remindersExpected)} | ${m((v) => v.neverFired)} | ${m((v) => v.firedTwice)} | ${m((v) => v.emailsForDone)} | ${m((v) => v.lateAfterHeal)} | `
    + `${m((v) => v.maxLateAfterHealS, 1)} | ${m((v) => v.maxEmailLateAfterHealS ?? NaN, 1)} | ${m((v) => v.errorRateDuringFault * 100)} % | ${m((v) => v.fiveXxDuringFault)} | ${m((v) => v.recoverS, 1)} | `
    + `${m((r) => r.acceptedPastTime)} | ${collateral.join(', ') || 'none'} | ${runs.map((r) => r.at.slice(0, 16)).join(', ')} |`;
}

export function renderTable(latest: Record<string, ScenarioRun[]>): string {
  const head = '| # | scenario | runs | acked writes | lost | applied twice | missing from audit | missing on a device | reminders due | never fired | fired twice | emails for done tasks | fired > 10 s after healing | latest firing after healing (s) | latest email after healing (s) | errors during the fault | 5xx during the fault | recovered after (s) | reminders accepted after their time | other processes that died | runs at (UTC) |';
  const sep = `|${'---|'.repeat(21)}`;
  return [head, sep, ...SCENARIOS.map((s) => rowOf(s.id, s.title, latest[String(s.id)] ?? []))].join('\n');
}

const DEFAULT_DOC = `# Reliability: faults under load

${TABLE_START}
${TABLE_END}
`;

/** The document with its table replaced; the prose around the markers is kept. */
export function renderReliability(latest: Record<string, ScenarioRun[]>, existing = DEFAULT_DOC): string {
  const doc = existing.includes(TABLE_START) && existing.includes(TABLE_END) ? existing : DEFAULT_DOC;
  const before = doc.slice(0, doc.indexOf(TABLE_START) + TABLE_START.length);
  const after = doc.slice(doc.indexOf(TABLE_END));
  return `${before}\n${renderTable(latest)}\n${after}`;
}
