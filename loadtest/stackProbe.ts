/**
 * What the benchmarks read from the running stack besides their own timings: Dapr's active actor
 * count (sidecar metadata), the services' Prometheus metrics (consumer lag, events published,
 * outbox backlog) and the outbox table's size.
 */
import { sidecarHeaders } from '../stack/testSupport';
import type { Pool } from 'pg';
import { USER_ACTOR_TYPE } from '../common/actorApi';
import { httpRequest } from '../common/httpClient';
import { config } from '../common/config';
import { say } from '../stack/progress';

/** Sum of every sample of `metric` in Prometheus text format, optionally only those whose labels pass `where`. */
export function promSum(text: string, metric: string, where: (labels: Record<string, string>) => boolean = () => true): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    if (where(labels)) sum += Number(m[4]);
  }
  return sum;
}

/** The values of one label seen on `metric`'s samples. */
export function promLabelValues(text: string, metric: string, label: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const m = new RegExp(`${label}="([^"]*)"`).exec(line);
    if (m) out.add(m[1]);
  }
  return [...out].sort();
}

export async function metricsOf(port: number): Promise<string> {
  const res = await httpRequest({ port, method: 'GET', path: '/metrics', timeoutMs: 10_000 });
  if (res.status !== 200) throw new Error(`GET :${port}/metrics answered ${res.status}`);
  return res.body;
}

/** UserActors active in the app behind this (actor host's) sidecar, from Dapr's metadata API. */
export async function activeActors(daprHttpPort: number): Promise<number> {
  const res = await httpRequest({ port: daprHttpPort, method: 'GET', path: '/v1.0/metadata', timeoutMs: 10_000, headers: sidecarHeaders('actors') });
  const meta = JSON.parse(res.body) as { actors?: Array<{ type: string; count: number }> };
  return (meta.actors ?? []).filter((a) => a.type === USER_ACTOR_TYPE).reduce((s, a) => s + a.count, 0);
}

/** Consumer lag per consumer group (summed over topics and partitions), from a service's kafka_consumer_group_lag. */
export async function consumerLag(port: number): Promise<Record<string, number>> {
  const text = await metricsOf(port);
  return Object.fromEntries(promLabelValues(text, 'kafka_consumer_group_lag', 'group')
    .map((g) => [g, promSum(text, 'kafka_consumer_group_lag', (l) => l.group === g)]));
}

/** Events the actor hosts on these ports have published to Kafka so far. */
export async function eventsPublished(actorPorts: number[]): Promise<number> {
  let n = 0;
  for (const p of actorPorts) n += promSum(await metricsOf(p), 'events_published_total');
  return n;
}

export interface OutboxSize {
  unpublished: number;
  rows: number;
  bytes: number;
}

export async function outboxSize(pool: Pool): Promise<OutboxSize> {
  const r = await pool.query<{ unpublished: string; rows: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS unpublished,
            (SELECT count(*) FROM outbox) AS rows,
            pg_total_relation_size('outbox') AS bytes`,
  );
  return { unpublished: Number(r.rows[0].unpublished), rows: Number(r.rows[0].rows), bytes: Number(r.rows[0].bytes) };
}

/**
 * Work the stack still has from earlier load: consumer lag of the subscribers' groups, outbox rows
 * not published yet, and reminder emails due to be sent (pending or being sent, retry time passed).
 */
export async function backlog(pool: Pool, subscribersPort: number): Promise<{ lag: number; outbox: number; emails: number }> {
  const lag = Object.values(await consumerLag(subscribersPort).catch(() => ({}))).reduce((a, b) => a + b, 0);
  const r = await pool.query<{ outbox: string; emails: string }>(
    `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS outbox,
            (SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending') AND (next_attempt_at IS NULL OR next_attempt_at <= now())) AS emails`,
  );
  return { lag, outbox: Number(r.rows[0].outbox), emails: Number(r.rows[0].emails) };
}

/**
 * How many reminders, set by anyone before now, fire within the next `ms`: each one's firing and
 * email would run on the processes a bench is measuring (the stack's data outlives a run).
 */
export async function remindersDueWithin(pool: Pool, ms: number): Promise<number> {
  const r = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM reminder_schedule WHERE state = 'active' AND fire_at <= now() + $1::int * interval '1 millisecond'", [ms]);
  return Number(r.rows[0].n);
}

/** Waits until the stack has no backlog (`polls` polls in a row) or `maxS` seconds have passed; says which. */
export async function settle(pool: Pool, maxS: number, polls: number): Promise<string> {
  const t0 = Date.now();
  let quiet = 0;
  let last = { lag: 0, outbox: 0, emails: 0 };
  while (Date.now() - t0 < maxS * 1000) {
    last = await backlog(pool, config.subscribersMetricsPort);
    quiet = last.lag + last.outbox + last.emails === 0 ? quiet + 1 : 0;
    if (quiet >= polls) break;
    await new Promise((r) => setTimeout(r, 2500)); // the lag gauge is refreshed every 5 s
  }
  const waited = ((Date.now() - t0) / 1000).toFixed(0);
  if (quiet >= polls) return `Started on a settled stack (no consumer lag, unpublished outbox rows or due emails left from before; waited ${waited} s).`;
  const msg = `Started after ${waited} s with work left from before: consumer lag ${last.lag}, unpublished outbox rows ${last.outbox}, emails due ${last.emails}.`;
  say(`  ${msg}`);
  return msg;
}
