/**
 * What a Kafka consumer does when handling a message fails (the policies are tabled in
 * subscribers/deadLetters/README.md):
 * - a **transient** failure (the database or Kafka unreachable, a timeout, a deadlock) is retried
 *   with backoff for as long as it lasts, and never dead-lettered: the message is held, not lost;
 * - a **permanent** one (a message that does not validate, an unknown major version, data the
 *   database refuses as such) can never succeed: it goes to the dead-letter topic at once;
 * - any **other** error (unclassified: a bug, an exception no one foresaw) is retried on the
 *   schedule of the consumer group and event type, and dead-lettered when the schedule is used up.
 *
 * Pure: the classification and the decision take no I/O; common/kafka.ts's retryMessage runs them.
 */
import { retryCeilingMs } from './backoff';

export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** An error that says itself whether a retry can help (errors as values, for the callers' own checks). */
export class PermanentFailure extends Error {
  readonly permanent = true;
}

/** Node and pg connection error codes: the peer is away or slow, a retry later can succeed. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
/** PostgreSQL SQLSTATE classes (Appendix A): 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown), 58 system error, 40 transaction rollback (deadlock, serialization). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);
/** 22 data exception, 23 integrity constraint violation, 42 syntax error or access rule: the same row fails the same way every time. */
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23']);
const TRANSIENT_MESSAGES = /timeout|timed out|Connection terminated|connection.*(closed|ended)|Client has encountered a connection error|the database system is (starting|shutting) |ECONNREFUSED|ECONNRESET|socket hang up/i;

export function classifyFailure(err: unknown): FailureKind {
  const e = err as { permanent?: unknown; code?: unknown; retriable?: unknown; message?: unknown; cause?: unknown } | null | undefined;
  if (e && e.permanent === true) return 'permanent';
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && TRANSIENT_CODES.has(code)) return 'transient';
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    const cls = code.slice(0, 2);
    if (TRANSIENT_SQLSTATE_CLASSES.has(cls)) return 'transient';
    if (PERMANENT_SQLSTATE_CLASSES.has(cls)) return 'permanent';
  }
  // kafkajs marks the errors a retry can help with.
  if (e?.retriable === true) return 'transient';
  if (typeof e?.message === 'string' && TRANSIENT_MESSAGES.test(e.message)) return 'transient';
  if (e?.cause !== undefined && e.cause !== err) {
    const inner = classifyFailure(e.cause);
    if (inner !== 'unknown') return inner;
  }
  return 'unknown';
}

/** The waits before each retry of an unclassified failure; its length is the number of retries. */
export interface RetrySchedule {
  delaysMs: readonly number[];
}

export interface PolicyEntry {
  /** Consumer group, or `sync` for every device-stream group (sync-<host>-<port>), or `*`. */
  group: string;
  /** Event type (`task.completed`), a family (`task.*`, `reminder.*`), or `*`. */
  eventType: string;
  schedule: RetrySchedule;
}

const S = 1000;
const M = 60 * S;
const doubling = (n: number, firstMs: number): number[] => Array.from({ length: n }, (_, i) => firstMs * 2 ** i);

/**
 * The defaults (the system this replaced): task completion 3 retries at 30 s / 5 min / 30 min;
 * reminders 10 (1 s doubling to 512 s, like the emails); updates, and every other event, 5.
 * The most specific entry wins: an exact group over `sync` over `*`, an exact type over a family over `*`.
 */
export const DEFAULT_POLICIES: readonly PolicyEntry[] = [
  { group: '*', eventType: 'task.completed', schedule: { delaysMs: [30 * S, 5 * M, 30 * M] } },
  { group: '*', eventType: 'reminder.*', schedule: { delaysMs: doubling(10, S) } },
  { group: '*', eventType: '*', schedule: { delaysMs: [S, 5 * S, 30 * S, 2 * M, 10 * M] } },
];

/** Backoff of transient failures: full jitter, ceilings doubling from base to cap (backoff.ts), unbounded in number. */
export interface TransientBackoff {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_TRANSIENT_BACKOFF: TransientBackoff = { baseMs: 500, capMs: 30 * S };

function groupScore(pattern: string, group: string): number {
  if (pattern === group) return 3;
  if (pattern === 'sync' && group.startsWith('sync-')) return 2;
  return pattern === '*' ? 1 : 0;
}

function typeScore(pattern: string, type: string): number {
  if (pattern === type) return 3;
  if (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))) return 2;
  return pattern === '*' ? 1 : 0;
}

/** The schedule of a group and an event type (undefined type: a message that is not an event). */
export function scheduleFor(policies: readonly PolicyEntry[], group: string, eventType: string | undefined): RetrySchedule {
  let best: PolicyEntry | undefined;
  let bestScore = 0;
  for (const p of policies) {
    const g = groupScore(p.group, group);
    const t = typeScore(p.eventType, eventType ?? '');
    if (g === 0 || t === 0) continue;
    const score = g * 10 + t;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best?.schedule ?? { delaysMs: [] };
}

export type Decision =
  | { action: 'retry'; delayMs: number }
  | { action: 'dead-letter'; reason: string };

/**
 * After `failedAttempts` failed tries (≥ 1) of one message, the last with an error of `kind`:
 * wait and try again, or dead-letter it.
 */
export function decide(kind: FailureKind, failedAttempts: number, schedule: RetrySchedule, backoff: TransientBackoff, error: string, random: () => number = Math.random): Decision {
  if (kind === 'permanent') return { action: 'dead-letter', reason: `can never succeed: ${error}` };
  if (kind === 'transient') {
    return { action: 'retry', delayMs: Math.round(random() * retryCeilingMs(failedAttempts, { ...backoff, maxRetries: Infinity })) };
  }
  // Transient failures in between do not use up the schedule: the caller counts only unknown ones.
  const delay = schedule.delaysMs[failedAttempts - 1];
  if (delay === undefined) return { action: 'dead-letter', reason: `gave up after ${failedAttempts} tries: ${error}` };
  return { action: 'retry', delayMs: delay };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: S, m: M, h: 60 * M, d: 24 * 60 * M };

/** "30s" → 30000; "500ms", "5m", "2h", "7d", or a bare number of milliseconds. */
export function parseDuration(s: string): number | undefined {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
}

/**
 * CONSUMER_RETRY_POLICIES: entries separated by `;`, each `group/eventType=delay,delay,…` (or
 * `group/eventType=none` for no retries), e.g. `audit/task.completed=30s,5m,30m;*\/reminder.*=1s,2s`.
 * They come before the defaults, so an entry replaces the default of the same group and type.
 * Returns the policies in force, or why the setting is not valid.
 */
export function parsePolicies(raw: string, defaults: readonly PolicyEntry[] = DEFAULT_POLICIES): { policies: PolicyEntry[] } | { error: string } {
  const own: PolicyEntry[] = [];
  for (const part of raw.split(';').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^/=\s]+)\/([^/=\s]+)=(.+)$/.exec(part);
    if (!m) return { error: `"${part}" is not group/eventType=delays` };
    const [, group, eventType, list] = m;
    if (!/^(\*|[a-z]+\.(\*|[a-z]+))$/.test(eventType)) return { error: `"${eventType}" is not an event type, a family like task.* or *` };
    const delays = list.trim() === 'none' ? [] : list.split(',').map(parseDuration);
    if (delays.some((d) => d === undefined)) return { error: `"${list}" is not a list of durations like 30s,5m,30m` };
    own.push({ group, eventType, schedule: { delaysMs: delays as number[] } });
  }
  const key = (p: PolicyEntry) => `${p.group}/${p.eventType}`;
  const overridden = new Set(own.map(key));
  return { policies: [...own, ...defaults.filter((d) => !overridden.has(key(d)))] };
}

/** A short, one-line description of an error, for reasons and logs. */
export function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? `${e.code}: ` : '';
  return `${code}${msg}`.replace(/\s+/g, ' ').slice(0, 500);
}
