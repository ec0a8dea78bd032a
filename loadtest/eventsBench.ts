/**
 * `npm run bench -- --events`: the event pipeline's speed on the real stack (issue 5), three runs of
 * each part, median (min–max); writes loadtest/results/events-<date>.json and the bench:events
 * section of loadtest/RESULTS.md.
 *
 * (a) Throughput into the audit table. Valid task.created events are fed straight into the outbox
 *     table (one multi-row INSERT every 100 ms at a fixed rate, spread over many users, each row made
 *     by PostgreSQL from a validated template event), as if that many writes had committed. From there the path is the real one: the actor host's outbox publisher
 *     (found by its relay pass) → Kafka task-events (and the task-updates copy) → the `audit`
 *     consumer group → audit_log. Lag = audit_log.recorded_at (clock_timestamp() as the audit
 *     consumer's INSERT writes the row; its commit follows) − outbox.published_at (clock_timestamp()
 *     once Kafka acknowledged the publisher's batch), both on PostgreSQL's clock. The audit can
 *     record an event before the publisher's UPDATE runs, so the lag can be negative: it is a lower
 *     bound of produce → audit, short by the produce's own round trips (milliseconds).
 * (b) Write-to-device latency. Devices of `users` users hold GET /v1/stream open; POST /v1/tasks at a
 *     fixed rate through the gateway; latency = the task.created event's arrival on the device −
 *     the 201's arrival at the writer (and − the request's start).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { newTask } from '../actors/taskRules';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { buildEvent, TOPICS } from '../common/events/envelope';
import { validateEvent } from '../common/validation';
import { DAPR_VERSION, KAFKA_VERSION, REPO_ROOT } from '../stack/paths';
import { say } from '../stack/progress';
import { tokenFor } from '../stack/testSupport';
import { benchCommand, gateway, percentile, stackGroups, summarize, writeResultsFile, type Summary } from './kit';
import { replaceSection } from './resultsMd';
import { coresUsed, cpuSecondsByGroup } from './processCpu';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { partitionLag } from '../subscribers/consumerLag';
import { AUDIT_GROUP, AUDITED_TOPICS } from '../subscribers/audit/auditConsumer';
import { syncGroupId } from '../gateway/stream/syncConsumer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every option of the events bench, from the command line (`--events-rate 12000` etc.). */
export interface EventsBenchOptions {
  quick: boolean;
  /** Events per second fed into the outbox, one series of runs per rate. */
  rates: number[];
  /** Seconds of feeding per run. */
  seconds: number;
  /** Users the fed events belong to. */
  users: number;
  /** Writes per second for the device latency. */
  writeRate: number;
  writeSeconds: number;
  deviceUsers: number;
  runs: number;
  /** Only part a (throughput) or b (device latency); both by default. */
  part: 'a' | 'b' | 'both';
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

/** `--events-rate 10000,1000`: the goal's rate and the seed's, by default. */
function rateList(args: string[]): number[] {
  const i = args.indexOf('--events-rate');
  if (i < 0) return [10_000, 1_000];
  const rates = (args[i + 1] ?? '').split(',').map(Number);
  if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error('--events-rate needs positive numbers, comma separated');
  return rates;
}

export function eventsBenchOptions(args: string[]): EventsBenchOptions {
  const quick = args.includes('--quick');
  return {
    quick,
    rates: rateList(args),
    seconds: option(args, '--events-seconds', quick ? 5 : 15),
    users: option(args, '--events-users', 500),
    writeRate: option(args, '--write-rate', 25),
    writeSeconds: option(args, '--write-seconds', quick ? 5 : 15),
    deviceUsers: option(args, '--device-users', 20),
    runs: option(args, '--runs', 3),
    part: args.includes('--only-throughput') ? 'a' : args.includes('--only-device') ? 'b' : 'both',
  };
}

/**
 * Waits until nothing is left over from before: no unpublished outbox row, and the audit group and
 * this stack's gateway sync group caught up with their topics. Otherwise a run would measure the
 * previous run's backlog (the gateway's device stream reads every event, in order).
 */
async function settled(pool: Pool): Promise<void> {
  const admin = createKafka('bench-events', createLogger('bench')).admin();
  await admin.connect();
  try {
    const groups: Array<[string, string[]]> = [[AUDIT_GROUP, [...AUDITED_TOPICS]], [syncGroupId(), [TOPICS.taskUpdates]]];
    const deadline = Date.now() + 600_000;
    for (;;) {
      const unpublished = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n);
      let lag = 0;
      for (const [groupId, topics] of groups) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
          const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
          for (const p of partitions) {
            const end = ends.get(p.partition);
            if (end) lag += partitionLag(end.high, end.low, p.offset);
          }
        }
      }
      if (unpublished === 0 && lag === 0) return;
      if (Date.now() > deadline) throw new Error(`the stack did not settle: ${unpublished} unpublished outbox rows, consumer lag ${lag}`);
      say(`  waiting for the stack to settle: ${unpublished} unpublished outbox rows, consumer lag ${lag}`);
      await sleep(5000);
    }
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// (a) events per second into the audit table

interface ThroughputRun {
  fed: number;
  feedSeconds: number;
  /** Events per second the feeder achieved. */
  feedRate: number;
  audited: number;
  /** audited / (last recorded_at − first outbox created_at): end to end, from the first write. */
  endToEndRate: number;
  /** audited / (last recorded_at − first recorded_at): the audit's own rate while it recorded. */
  auditRate: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  /** From the outbox insert (includes the relay's wait for rows older than a second). */
  insertLagP50: number;
  insertLagP99: number;
  cores: Record<string, number>;
  cpuMsPerEvent: Record<string, number>;
}

/**
 * A valid task.created event (built and validated like the actor's) as a template: PostgreSQL makes
 * each fed row from it with a new eventId, task id, user and time, so the load generator's own CPU
 * does not limit the feed.
 */
function templateEvent(): string {
  const now = new Date();
  const task = newTask({ title: 'bench event', priority: 'medium', tags: ['bench'] }, 'UTC', now);
  const e = buildEvent('task.created', 'template', task.id, { task }, now);
  const v = validateEvent(e);
  if (!v.ok) throw new Error(`the template event is not valid: ${JSON.stringify(v.details)}`);
  return JSON.stringify(e);
}

async function feed(pool: Pool, users: string[], rate: number, seconds: number): Promise<{ fed: number; feedSeconds: number }> {
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / tickMs);
  const template = templateEvent();
  const t0 = performance.now();
  let fed = 0;
  for (let t = 0; t < ticks; t++) {
    await pool.query(
      `WITH e AS (
         SELECT gen_random_uuid() AS event_id, gen_random_uuid()::text AS task_id, ($2::text[])[1 + (($3::int + i) % array_length($2::text[], 1))] AS user_id,
                to_jsonb(to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS time
           FROM generate_series(0, $1::int - 1) AS i)
       INSERT INTO outbox (event_id, user_id, topic, payload)
       SELECT event_id, user_id, '${TOPICS.taskEvents}',
              jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set($4::jsonb, '{eventId}', to_jsonb(event_id)), '{userId}', to_jsonb(user_id)),
                '{taskId}', to_jsonb(task_id)), '{data,task,id}', to_jsonb(task_id)), '{time}', time)
         FROM e`,
      [perTick, users, fed, template],
    );
    fed += perTick;
    const wait = t0 + (t + 1) * tickMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return { fed, feedSeconds: (performance.now() - t0) / 1000 };
}

async function throughputRun(pool: Pool, o: EventsBenchOptions, rate: number, run: number): Promise<ThroughputRun> {
  const users = Array.from({ length: o.users }, (_, i) => `bench-ev-${randomUUID().slice(0, 8)}-${i}`);
  const groups = stackGroups();
  const cpuBefore = cpuSecondsByGroup(groups);
  const c0 = performance.now();
  say(`▶ bench: ${rate.toLocaleString('en')} events/s into the outbox for ${o.seconds} s (${o.users} users), run ${run}/${o.runs}`);
  const { fed, feedSeconds } = await feed(pool, users, rate, o.seconds);
  let audited = 0;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    audited = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE user_id = ANY($1::text[])', [users])).rows[0].n);
    if (audited >= fed) break;
    await sleep(1000);
  }
  const cpuAfter = cpuSecondsByGroup(groups);
  const cores = coresUsed(cpuBefore, cpuAfter, (performance.now() - c0) / 1000);
  // CPU per event, whatever else the machine was doing: milliseconds of each process's CPU per audited event.
  const cpuMsPerEvent = Object.fromEntries([...cpuAfter].map(([k, v]) => [k, ((v - (cpuBefore.get(k) ?? 0)) * 1000) / Math.max(1, audited)]));
  const s = (await pool.query<Record<string, string>>(
    `SELECT count(*) AS n,
            extract(epoch FROM max(a.recorded_at) - min(o.created_at)) AS span_all,
            extract(epoch FROM max(a.recorded_at) - min(a.recorded_at)) AS span_audit,
            1000 * percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.recorded_at - o.published_at)) AS lag_p50,
            1000 * percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.recorded_at - o.published_at)) AS lag_p99,
            1000 * max(extract(epoch FROM a.recorded_at - o.published_at)) AS lag_max,
            1000 * percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.recorded_at - o.created_at)) AS ins_p50,
            1000 * percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.recorded_at - o.created_at)) AS ins_p99
       FROM audit_log a JOIN outbox o ON o.event_id = a.event_id
      WHERE a.user_id = ANY($1::text[])`, [users],
  )).rows[0];
  const n = Number(s.n);
  const r: ThroughputRun = {
    fed, feedSeconds, feedRate: fed / feedSeconds, audited: n,
    endToEndRate: n / Number(s.span_all), auditRate: n / Number(s.span_audit),
    lagP50: Number(s.lag_p50), lagP99: Number(s.lag_p99), lagMax: Number(s.lag_max),
    insertLagP50: Number(s.ins_p50), insertLagP99: Number(s.ins_p99), cores, cpuMsPerEvent,
  };
  say(`  fed ${fed} at ${r.feedRate.toFixed(0)}/s; audited ${n}: ${r.auditRate.toFixed(0)} events/s (end to end ${r.endToEndRate.toFixed(0)}/s); lag publish→audit p50 ${r.lagP50.toFixed(0)} ms p99 ${r.lagP99.toFixed(0)} ms; outbox insert→audit p99 ${r.insertLagP99.toFixed(0)} ms`);
  say(`  CPU ms per event: ${Object.entries(cpuMsPerEvent).filter(([, v]) => v >= 0.001).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')} (sum ${Object.values(cpuMsPerEvent).reduce((a, b) => a + b, 0).toFixed(3)})`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// (b) write-to-device latency

interface DeviceRun {
  writes: number;
  errors: number;
  delivered: number;
  ackToDeviceP50: number;
  ackToDeviceP99: number;
  sendToDeviceP50: number;
  sendToDeviceP99: number;
  writeP50: number;
  writeP99: number;
  /** Share of events that reached the device before the 201 reached the writer. */
  beforeAck: number;
}

async function openDevice(token: string, onEvent: (taskId: string, at: number) => void): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${config.gatewayPort}/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
  ws.on('message', (data) => {
    const at = performance.now();
    const e = JSON.parse(data.toString()) as { type: string; taskId: string };
    if (e.type === 'task.created') onEvent(e.taskId, at);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

async function deviceRun(o: EventsBenchOptions, run: number): Promise<DeviceRun> {
  const users = await Promise.all(Array.from({ length: o.deviceUsers }, async (_, i) => {
    const id = `bench-dev-${randomUUID().slice(0, 8)}-${i}`;
    return { id, token: await tokenFor(id) };
  }));
  const arrived = new Map<string, number>();
  const sockets = await Promise.all(users.map((u) => openDevice(u.token, (taskId, at) => arrived.set(taskId, at))));
  say(`▶ bench: POST /v1/tasks at ${o.writeRate}/s for ${o.writeSeconds} s, ${o.deviceUsers} users each with a device on /v1/stream, run ${run}/${o.runs}`);
  const writes: Array<{ id?: string; sent: number; acked: number }> = [];
  let errors = 0;
  const total = Math.round(o.writeRate * o.writeSeconds);
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / o.writeRate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const u = users[i % users.length];
    inFlight.push((async () => {
      const sent = performance.now();
      const res = await gateway('POST', '/v1/tasks', `Bearer ${u.token}`, JSON.stringify({ title: `device bench ${i}` })).catch(() => undefined);
      const acked = performance.now();
      if (res?.status === 201) writes.push({ id: (JSON.parse(res.body) as { id: string }).id, sent, acked });
      else errors++;
    })());
  }
  await Promise.all(inFlight);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && writes.some((w) => w.id && !arrived.has(w.id))) await sleep(100);
  for (const ws of sockets) ws.close();
  const ackToDevice: number[] = [];
  const sendToDevice: number[] = [];
  const writeMs: number[] = [];
  let beforeAck = 0;
  for (const w of writes) {
    writeMs.push(w.acked - w.sent);
    const at = w.id ? arrived.get(w.id) : undefined;
    if (at === undefined) continue;
    if (at < w.acked) beforeAck++;
    ackToDevice.push(Math.max(0, at - w.acked));
    sendToDevice.push(at - w.sent);
  }
  for (const xs of [ackToDevice, sendToDevice, writeMs]) xs.sort((a, b) => a - b);
  const r: DeviceRun = {
    writes: writes.length, errors, delivered: ackToDevice.length,
    ackToDeviceP50: percentile(ackToDevice, 50), ackToDeviceP99: percentile(ackToDevice, 99),
    sendToDeviceP50: percentile(sendToDevice, 50), sendToDeviceP99: percentile(sendToDevice, 99),
    writeP50: percentile(writeMs, 50), writeP99: percentile(writeMs, 99),
    beforeAck: ackToDevice.length ? beforeAck / ackToDevice.length : 0,
  };
  say(`  ${r.delivered}/${r.writes} delivered (errors ${errors}); ack→device p50 ${r.ackToDeviceP50.toFixed(1)} ms p99 ${r.ackToDeviceP99.toFixed(1)} ms; request→device p50 ${r.sendToDeviceP50.toFixed(1)} ms p99 ${r.sendToDeviceP99.toFixed(1)} ms; ${(100 * r.beforeAck).toFixed(0)}% before the ack`);
  return r;
}

// ---------------------------------------------------------------------------------------------

const summaryOf = <R extends object>(runs: R[]): Record<string, Summary> => Object.fromEntries(
  Object.keys(runs[0]).filter((k) => typeof (runs[0] as Record<string, unknown>)[k] === 'number')
    .map((k) => [k, summarize(runs.map((r) => (r as Record<string, number>)[k]))]),
);

interface ThroughputSeries {
  rate: number;
  runs: ThroughputRun[];
  summary: Record<string, Summary>;
  cpuMsPerEvent: Record<string, Summary>;
}

export interface EventsReport {
  date: string;
  command: string;
  options: EventsBenchOptions;
  machine: { cores: number; memoryGiB: number; cpu: string | undefined; loadAverage: number[] };
  versions: Record<string, string>;
  throughput: ThroughputSeries[];
  device: { runs: DeviceRun[]; summary: Record<string, Summary> };
}

/** `npm run bench -- --events`: the bench alone, its results file and its RESULTS.md section. */
export async function runEventsBench(args: string[]): Promise<number> {
  await measureEvents(args, benchCommand(args));
  return 0;
}

/**
 * Runs the bench; with both parts, also writes `results/events-<date>.json` and (unless --quick)
 * the RESULTS.md section, and returns the report (the suite folds it into its own).
 */
export async function measureEvents(args: string[], command: string): Promise<EventsReport | undefined> {
  const o = eventsBenchOptions(args);
  const pool = createPool('bench-events');
  const throughput: ThroughputSeries[] = [];
  const devices: DeviceRun[] = [];
  try {
    for (const rate of o.part === 'b' ? [] : o.rates) {
      const runs: ThroughputRun[] = [];
      for (let i = 1; i <= o.runs; i++) {
        await settled(pool);
        runs.push(await throughputRun(pool, o, rate, i));
      }
      const names = [...new Set(runs.flatMap((r) => Object.keys(r.cpuMsPerEvent)))];
      throughput.push({ rate, runs, summary: summaryOf(runs), cpuMsPerEvent: Object.fromEntries(names.map((k) => [k, summarize(runs.map((r) => r.cpuMsPerEvent[k] ?? 0))])) });
    }
    for (let i = 1; i <= o.runs && o.part !== 'a'; i++) {
      await settled(pool);
      devices.push(await deviceRun(o, i));
    }
  } finally {
    await pool.end();
  }
  if (o.part !== 'both') {
    say('one part only: results printed above, RESULTS.md and loadtest/results/ left as they were');
    return undefined;
  }
  const date = new Date().toISOString();
  const report: EventsReport = {
    date, command, options: o,
    machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model, loadAverage: os.loadavg() },
    versions: { node: process.version, dapr: DAPR_VERSION, kafka: KAFKA_VERSION },
    throughput,
    device: { runs: devices, summary: summaryOf(devices) },
  };
  const file = writeResultsFile('events-', date, report);
  if (o.quick) {
    say(`quick run: not for RESULTS.md; results in ${path.relative(REPO_ROOT, file)}`);
    return report;
  }
  writeEventsSection(report);
  say(`results: ${path.relative(REPO_ROOT, file)} and loadtest/RESULTS.md`);
  return report;
}

function writeEventsSection(r: EventsReport): void {
  const d = r.device.summary;
  const f = (x: Summary, digits = 0, unit = '') => `${x.median.toFixed(digits)}${unit} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
  const o = r.options;
  const rows = r.throughput.flatMap(({ rate, summary: t }) => [
    `| (a) ${rate.toLocaleString('en')} events/s fed for ${o.seconds} s (${o.users} users): events/s into audit_log | audit rate ${f(t.auditRate, 0, '/s')}; end to end from the first insert ${f(t.endToEndRate, 0, '/s')}; fed ${f(t.feedRate, 0, '/s')}; audited ${t.audited.median} of ${t.fed.median} | ≥ 10,000 events/s (seed: 1,000) |`,
    `| (a) ${rate.toLocaleString('en')}/s: lag publish → audit row | p50 ${f(t.lagP50, 0, ' ms')}; p99 ${f(t.lagP99, 0, ' ms')}; max ${f(t.lagMax, 0, ' ms')} | p99 < 1 s (seed: < 2 s) |`,
    `| (a) ${rate.toLocaleString('en')}/s: lag outbox insert → audit row | p50 ${f(t.insertLagP50, 0, ' ms')}; p99 ${f(t.insertLagP99, 0, ' ms')} | |`,
  ]);
  const cpu = r.throughput.map(({ rate, cpuMsPerEvent }) => {
    const parts = Object.entries(cpuMsPerEvent).filter(([, v]) => v.median >= 0.001).sort((a, b) => b[1].median - a[1].median);
    const total = parts.reduce((sum, [, v]) => sum + v.median, 0);
    return `- at ${rate.toLocaleString('en')}/s: ${parts.map(([k, v]) => `${k} ${v.median.toFixed(3)}`).join(', ')}; in all ${total.toFixed(3)} ms`;
  });
  replaceSection('events', 'Events: throughput into the audit, and write-to-device latency', [
    `Command: \`${r.command}\` (${r.date.slice(0, 16)}Z; ${r.machine.cores} cores shared by the whole stack, the load generator and whatever else ran on the machine: load average ${r.machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} when it ended). ${o.runs} runs of each; figures: median (min–max) of the runs.`,
    '',
    'What (a) measures: valid `task.created` events are fed straight into the outbox table (one multi-row INSERT every 100 ms), as if that many writes had committed; from there the path is the real one: the actor host\'s outbox publisher (its relay finds the rows) → Kafka `task-events` (and the `task-updates` copy) → the `audit` consumer group → `audit_log`. Lag publish → audit = `audit_log.recorded_at` (clock_timestamp() when the audit consumer\'s INSERT wrote the row, just before its commit) − `outbox.published_at` (clock_timestamp() once Kafka acknowledged the publisher\'s batch), both on PostgreSQL\'s clock; the audit may record an event before the publisher marks it, so a lag can be negative (a lower bound of produce → audit, short by the produce\'s round trips). The lag from the outbox insert includes waiting for the relay pass (every `OUTBOX_RELAY_INTERVAL_MS`, rows older than 1 s), because fed rows have no actor to kick the publisher. Events/s: audited events over the time from the first to the last audit row ("audit rate"), and from the first outbox insert to the last audit row ("end to end").',
    '',
    '| measured | result | goal (issue 5) |',
    '|---|---|---|',
    ...rows,
    `| (b) write-to-device: POST /v1/tasks at ${o.writeRate}/s for ${o.writeSeconds} s over ${o.deviceUsers} users, each with a device on /v1/stream; 201 at the writer → task.created on the device | p50 ${f(d.ackToDeviceP50, 1, ' ms')}; p99 ${f(d.ackToDeviceP99, 1, ' ms')}; ${f({ median: 100 * d.beforeAck.median, min: 100 * d.beforeAck.min, max: 100 * d.beforeAck.max })}% of events arrived before the 201 (counted as 0) | p99 ≤ 100 ms |`,
    `| (b) request start → task.created on the device | p50 ${f(d.sendToDeviceP50, 1, ' ms')}; p99 ${f(d.sendToDeviceP99, 1, ' ms')}; the POST itself p50 ${f(d.writeP50, 1, ' ms')}, p99 ${f(d.writeP99, 1, ' ms')}; delivered ${d.delivered.median} of ${d.writes.median}, errors ${d.errors.median} | |`,
    '',
    'CPU per audited event during (a), milliseconds of each process (median of the runs; `postgres` includes the feeding INSERTs, which stand in for the writes):',
    '',
    ...cpu,
  ].join('\n'));
}
