/**
 * The peer bench's table (loadtest/RESULTS.md, section suite-peer): for each figure measured on
 * both systems, this system's and the Restate peer's median (min–max) over the runs, and the
 * ratio of the medians this / peer. Formatting only; loadtest/suite/peer.ts measures.
 */
import { formatFigure, num, type Figure } from './figures';

/** Figure ids of the peer bench: `peer.this.<what>` and `peer.peer.<what>`. */
export const peerId = (system: 'this' | 'peer', what: string) => `peer.${system}.${what}`;

export interface PeerRow {
  what: string;
  label: string;
  ours: Figure;
  peer: Figure;
  /** this system's median / the peer's; NaN when either was not measured or the peer's is 0. */
  ratio: number;
  /** Which way is better for this figure: throughput higher, latency and cost lower. */
  better: 'higher' | 'lower';
}

const higherIsBetter = (f: Figure) => f.unit === 'req/s' || f.id.endsWith('.fired');

/** One row per figure measured on both systems, in the order of this system's figures. */
export function peerRows(figures: Figure[]): PeerRow[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  return figures.filter((f) => f.id.startsWith('peer.this.')).flatMap((ours) => {
    const what = ours.id.slice('peer.this.'.length);
    const peer = byId.get(peerId('peer', what));
    if (!peer) return [];
    const a = ours.summary.median;
    const b = peer.summary.median;
    const ratio = Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
    return [{ what, label: ours.label, ours, peer, ratio, better: higherIsBetter(ours) ? 'higher' : 'lower' }];
  });
}

/** "1.52×", or "n/a". */
export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${num(r, '×')}×` : 'n/a';
}

/** The Markdown table of the rows. */
export function peerTable(rows: PeerRow[]): string {
  return [
    '| figure | this system | Restate peer | this / peer | better |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${formatFigure(r.ours)} | ${formatFigure(r.peer)} | ${formatRatio(r.ratio)} | ${r.better} |`),
  ].join('\n');
}

/** "name 0.52, other 0.10" for a per-process cores record, busiest first. */
export function coresLine(cores: Record<string, number>): string {
  return Object.entries(cores).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
}

/** Per requests' kind, ms of CPU per request by process (peer.ts cpuPerRequestByProcess). */
export type CpuByEndpoint = Record<string, Record<string, number>>;

/** "actors 3.10, kafka 2.00, … (13.7 in all)": busiest first; below 0.05 ms summed as "the rest". */
export function cpuLine(byProcess: Record<string, number>): string {
  const all = Object.entries(byProcess).sort((a, b) => b[1] - a[1]);
  const shown = all.filter(([, v]) => v >= 0.05);
  const rest = all.filter(([, v]) => v < 0.05).reduce((a, [, v]) => a + v, 0);
  const total = all.reduce((a, [, v]) => a + v, 0);
  const parts = [...shown.map(([k, v]) => `${k} ${num(v)}`), ...(rest > 0 ? [`the rest ${num(rest)}`] : [])];
  return `${parts.join(', ')} (${num(total)} in all)`;
}

/** The table of where each kind of request's CPU time goes, this system beside the peer. */
export function cpuTable(c: { this: CpuByEndpoint; peer: CpuByEndpoint }): string {
  return [
    '| requests | this system: ms of CPU per request, by process | Restate peer |',
    '|---|---|---|',
    ...Object.keys(c.this).map((k) => `| ${k} | ${cpuLine(c.this[k])} | ${c.peer[k] ? cpuLine(c.peer[k]) : 'n/a'} |`),
  ].join('\n');
}

/** The RESULTS.md section of the peer bench: what was run, the table, each system's CPU by process. */
export function peerSection(r: { setup: string; commands: string[]; figures: Figure[]; cores?: Record<string, { median: number }>; extra?: Record<string, unknown>; notes: string[] }): string {
  const cpu = r.extra?.cpuPerRequest as { this: CpuByEndpoint; peer: CpuByEndpoint } | undefined;
  const medians = (c: unknown) => Object.fromEntries(Object.entries((c ?? {}) as Record<string, { median: number }>).map(([k, v]) => [k, v.median]));
  return [
    `${r.setup[0].toUpperCase()}${r.setup.slice(1)}.`,
    '',
    `k6 run by the suite: ${r.commands.map((c) => (c.startsWith('k6') ? `\`${c}\`` : c)).join('; ')}.`,
    '',
    peerTable(peerRows(r.figures)),
    '',
    ...(cpu ? ['Where the time goes: each process\'s CPU time per request (its cores over the run × 1000 / the run\'s request rate, median of the runs).', '', cpuTable(cpu), ''] : []),
    `Cores used during the list, create and create-with-reminder runs (median): this system: ${coresLine(medians(r.cores))}; the peer: ${coresLine(medians(r.extra?.peerCores))} ("other" is the rest of the machine: other people's work, and while the peer runs also this system's idle stack).`,
    '',
    "What the ratio compares: the peer does less per request than this system (loadtest/README.md, \"The peer\"): no Kafka event, no audit row, no email, no WebSocket push, no authentication or rate limit, and the reminder storm's lateness is the fire handler's own time, not an arrival on a device. Read a ratio as the price of those, not as the same work done faster.",
    ...r.notes.flatMap((n) => ['', n]),
  ].join('\n');
}
