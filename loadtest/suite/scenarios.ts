/**
 * The five k6 scenarios of issue 8, run against the real stack: mixed workload, write storm,
 * reminder storm, WebSocket devices (the soak is in soak.ts), and the single-endpoint throughput
 * runs of issue 3. Each returns its figures per run, the exact k6 commands, and the k6
 * thresholds that were missed.
 */
import { config } from '../../common/config';
import { say } from '../../stack/progress';
import { stackGroups, summarize } from '../kit';
import { eventsPublished } from '../stackProbe';
import { extraActorHostSidecars } from '../../stack/services';
import { benchUsers, k6Data } from './benchUsers';
import { repeat, type SuiteContext } from './context';
import { figure, ratio, summarizeKeys, type Figure, type ScenarioResult } from './figures';
import { missedThresholds, runK6, stat, type K6Result, type K6Summary } from './k6Run';
import { memoryByGroup } from '../processMemory';

const MiB = 2 ** 20;
const dur = (s: K6Summary, e: string, k: string) => stat(s, `http_req_duration{endpoint:${e}}`, k);
const rate = (s: K6Summary, e: string) => stat(s, `http_reqs{endpoint:${e}}`, 'rate');

export function coresOf(results: K6Result[]) {
  return summarizeKeys(results.map((r) => r.cores));
}

/** Processes that are the load generator or someone else's work, not the stack's cost. */
const NOT_THE_STACK = new Set(['k6', 'other']);

/** Cores each of the stack's own processes used in a run (not k6, not the rest of the machine). */
export function stackCoresByProcess(r: K6Result): Record<string, number> {
  return Object.fromEntries(Object.entries(r.cores).filter(([k]) => !NOT_THE_STACK.has(k)));
}

/** Cores the stack's own processes used in a run. */
export function stackCores(r: K6Result): number {
  return Object.values(stackCoresByProcess(r)).reduce((a, v) => a + v, 0);
}

/**
 * The CPU cost of a request (stack CPU time per request, in ms) and how busy the rest of the
 * machine was: on a shared machine these say more than the throughput, which depends on what
 * the others run at the time.
 */
export function costFigures(prefix: string, rs: K6Result[], requestsPerS: number[]): Figure[] {
  return [
    figure(`${prefix}.cpuMsPerRequest`, 'CPU per request, whole stack (cores × 1000 / req/s)', 'ms', rs.map((r, i) => (stackCores(r) * 1000) / requestsPerS[i])),
    figure(`${prefix}.stackCores`, 'cores used by the stack', 'cores', rs.map(stackCores)),
    figure(`${prefix}.otherCores`, "cores used by the rest of the machine (other people's work)", 'cores', rs.map((r) => r.cores.other)),
  ];
}

export function memoryOf(results: K6Result[]) {
  const names = Object.keys(results[0]?.memory ?? {});
  return Object.fromEntries(names.map((n) => [n, {
    rss: summarize(results.map((r) => (r.memory[n]?.rss ?? 0) / MiB)),
    pss: summarize(results.map((r) => (r.memory[n]?.pss ?? 0) / MiB)),
  }]));
}

/** Every actor host's metrics port (for its /metrics). */
export function actorHostPorts(): number[] {
  return [config.actorsMetricsPort, ...extraActorHostSidecars().map((s) => s.appMetricsPort)];
}

export async function mixedScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const seconds = ctx.quick ? 5 : 20;
  const vus = 32;
  const rs = await repeat(ctx, `k6 mixed workload (${ctx.users.length} users, ${vus} VUs, ${seconds} s)`, (i) =>
    runK6({ k6: ctx.k6, script: 'mixed.js', label: ctx.label('mixed', i), env: { DURATION: `${seconds}s`, VUS: vus }, data: k6Data(ctx.users) }));
  const s = rs.map((r) => r.summary);
  const per = (e: string, k: string) => s.map((x) => dur(x, e, k));
  const list50 = figure('mixed.list.p50', 'list p50', 'ms', per('list', 'med'));
  const chat50 = figure('mixed.chat.p50', 'chat p50', 'ms', per('chat', 'med'));
  return {
    name: 'mixed', title: 'Mixed user workload (k6 scenario 1)',
    setup: `${ctx.users.length} users with ${ctx.users[0]?.taskIds.length ?? 0} tasks each; ${vus} VUs in a loop without think time for ${seconds} s; per iteration list 65 %, get 20 %, chat question 5 % (reads 90 %), create 6 %, complete 3 %, chat command 1 %`,
    commands: [rs[0].command],
    figures: [
      figure('mixed.rps', 'requests/s, all endpoints', 'req/s', s.map((x) => stat(x, 'http_reqs', 'rate'))),
      figure('mixed.p95', 'p95, all endpoints', 'ms', s.map((x) => stat(x, 'http_req_duration', 'p(95)'))),
      figure('mixed.errors', 'failed requests', '%', s.map((x) => 100 * stat(x, 'http_req_failed', 'rate'))),
      figure('mixed.list.p50', 'list (GET /v1/tasks?limit=20) p50', 'ms', per('list', 'med')),
      figure('mixed.list.p99', 'list p99', 'ms', per('list', 'p(99)')),
      figure('mixed.get.p99', 'get one task p99', 'ms', per('get', 'p(99)')),
      figure('mixed.create.p50', 'create p50', 'ms', per('create', 'med')),
      figure('mixed.create.p99', 'create p99', 'ms', per('create', 'p(99)')),
      figure('mixed.complete.p99', 'complete p99', 'ms', per('complete', 'p(99)')),
      chat50,
      figure('mixed.chat.p99', 'chat p99', 'ms', per('chat', 'p(99)')),
      ratio('mixed.chatVsList', 'chat p50 / list p50 (same runs)', chat50, list50),
      ...costFigures('mixed', rs, s.map((x) => stat(x, 'http_reqs', 'rate'))),
    ],
    thresholdsMissed: s.map(missedThresholds),
    cores: coresOf(rs),
    notes: [],
  };
}

/** One endpoint at full speed (issue 3's create and list goals); reused by the 1 → 2 host comparison. */
export async function throughputRuns(ctx: SuiteContext, endpoint: 'create' | 'list', tag: string): Promise<K6Result[]> {
  const seconds = ctx.quick ? 3 : 10;
  return repeat(ctx, `k6 ${endpoint} throughput${tag ? ` (${tag})` : ''}, 32 VUs, ${seconds} s`, (i) =>
    runK6({ k6: ctx.k6, script: 'throughput.js', label: ctx.label(`throughput-${endpoint}${tag ? `-${tag}` : ''}`, i),
      env: { ENDPOINT: endpoint, DURATION: `${seconds}s`, VUS: 32 }, data: k6Data(ctx.users) }));
}

export function throughputFigures(prefix: string, endpoint: string, rs: K6Result[]): Figure[] {
  const s = rs.map((r) => r.summary);
  return [
    figure(`${prefix}.${endpoint}.rps`, `${endpoint}s/s`, 'req/s', s.map((x) => rate(x, endpoint))),
    ...costFigures(`${prefix}.${endpoint}`, rs, s.map((x) => rate(x, endpoint))).map((f) => ({ ...f, label: `${endpoint}: ${f.label}` })),
    figure(`${prefix}.${endpoint}.p50`, `${endpoint} p50`, 'ms', s.map((x) => dur(x, endpoint, 'med'))),
    figure(`${prefix}.${endpoint}.p99`, `${endpoint} p99`, 'ms', s.map((x) => dur(x, endpoint, 'p(99)'))),
    figure(`${prefix}.${endpoint}.errors`, `${endpoint} failed`, '%', s.map((x) => 100 * stat(x, `http_req_failed{endpoint:${endpoint}}`, 'rate'))),
  ];
}

/** Issue 3's figures from the create and list throughput runs (1 actor host). */
export function throughputResult(ctx: SuiteContext, runs: { create: K6Result[]; list: K6Result[] }): ScenarioResult {
  ctx.createsPerS = summarize(runs.create.map((r) => rate(r.summary, 'create'))).median;
  return {
    name: 'throughput', title: 'Task API at full speed, one endpoint at a time (issue 3)',
    setup: `32 VUs in a loop without think time, ${ctx.quick ? 3 : 10} s per run, over the ${ctx.users.length} users of the mixed workload (POST /v1/tasks; GET /v1/tasks?limit=20)`,
    commands: [runs.create[0].command, runs.list[0].command],
    figures: [...throughputFigures('throughput', 'create', runs.create), ...throughputFigures('throughput', 'list', runs.list)],
    thresholdsMissed: [...runs.create, ...runs.list].map((r) => missedThresholds(r.summary)),
    cores: coresOf([...runs.create, ...runs.list]),
    notes: [],
  };
}

/** Tasks in PostgreSQL for these users: all, and completed. */
async function tasksOf(ctx: SuiteContext, ids: string[]): Promise<{ all: number; completed: number }> {
  const r = await ctx.pool.query<{ all: string; completed: string }>(
    "SELECT count(*) AS all, count(*) FILTER (WHERE status = 'completed') AS completed FROM tasks WHERE user_id = ANY($1::text[])", [ids]);
  return { all: Number(r.rows[0].all), completed: Number(r.rows[0].completed) };
}

export async function writeStormScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const seconds = ctx.quick ? 3 : 12;
  const vus = 32;
  const stormUsers = 4;
  const spreadUsers = 200;
  const runs: Array<{ spread: K6Result; storm: K6Result; lost: number; events: number }> = await repeat(ctx,
    `k6 write storm (${vus} VUs on ${stormUsers} users, baseline on ${spreadUsers} users, ${seconds} s each)`, async (i) => {
      const one = async (mode: 'spread' | 'storm', n: number) => {
        const users = await benchUsers(n, `bench-${mode}`);
        const e0 = await eventsPublished(actorHostPorts());
        const t0 = performance.now();
        const r = await runK6({ k6: ctx.k6, script: 'writeStorm.js', label: ctx.label(`storm-${mode}`, i), env: { MODE: mode, DURATION: `${seconds}s`, VUS: vus }, data: k6Data(users) });
        await new Promise((res) => setTimeout(res, 1000)); // the outbox flusher publishes within a few ms; leave it a second
        const events = (await eventsPublished(actorHostPorts())) - e0;
        const eventsPerS = events / ((performance.now() - t0) / 1000 - 1);
        const db = await tasksOf(ctx, users.map((u) => u.id));
        const lost = Math.abs(db.all - stat(r.summary, 'storm_created', 'count')) + Math.abs(db.completed - stat(r.summary, 'storm_completed', 'count'));
        return { r, lost, eventsPerS };
      };
      const spread = await one('spread', spreadUsers);
      const storm = await one('storm', stormUsers);
      return { spread: spread.r, storm: storm.r, lost: spread.lost + storm.lost, events: spread.eventsPerS };
    });
  const writes = (r: K6Result) => rate(r.summary, 'create') + rate(r.summary, 'complete');
  const spreadW = figure('storm.spread.writesPerS', `writes/s over ${spreadUsers} users (create + complete)`, 'req/s', runs.map((x) => writes(x.spread)));
  const stormW = figure('storm.storm.writesPerS', `writes/s on ${stormUsers} users`, 'req/s', runs.map((x) => writes(x.storm)));
  const spreadP99 = figure('storm.spread.create.p99', `create p99, ${spreadUsers} users`, 'ms', runs.map((x) => dur(x.spread.summary, 'create', 'p(99)')));
  const stormP99 = figure('storm.storm.create.p99', `create p99, ${stormUsers} users`, 'ms', runs.map((x) => dur(x.storm.summary, 'create', 'p(99)')));
  return {
    name: 'storm', title: 'Write storm on a few users (k6 scenario 2)',
    setup: `${vus} VUs in a loop, each iteration creates a task and completes it; storm: all on ${stormUsers} users (${vus / stormUsers} concurrent callers per UserActor); baseline: the same on ${spreadUsers} users, run just before; ${seconds} s each; afterwards every acknowledged create and complete is looked up in PostgreSQL`,
    commands: [runs[0].spread.command, runs[0].storm.command],
    figures: [
      spreadW, stormW,
      ratio('storm.ratio', 'storm / baseline writes/s (same run)', stormW, spreadW),
      figure('storm.perActor', 'writes/s per UserActor in the storm', 'req/s', stormW.runs.map((w) => w / stormUsers)),
      figure('storm.spread.create.p50', `create p50, ${spreadUsers} users`, 'ms', runs.map((x) => dur(x.spread.summary, 'create', 'med'))),
      spreadP99,
      figure('storm.storm.create.p50', `create p50, ${stormUsers} users`, 'ms', runs.map((x) => dur(x.storm.summary, 'create', 'med'))),
      stormP99,
      figure('storm.errors', 'failed writes, storm', '%', runs.map((x) => 100 * stat(x.storm.summary, 'http_req_failed', 'rate'))),
      figure('storm.lost', 'acknowledged writes missing or doubled in PostgreSQL (both modes)', '', runs.map((x) => x.lost)),
      figure('storm.spread.eventsPerS', 'Kafka events published/s during the baseline (outbox → Kafka)', 'events/s', runs.map((x) => x.events)),
      ...costFigures('storm.spread', runs.map((x) => x.spread), spreadW.runs).map((f) => ({ ...f, label: `baseline: ${f.label}` })),
      ...costFigures('storm.storm', runs.map((x) => x.storm), stormW.runs).map((f) => ({ ...f, label: `storm: ${f.label}` })),
    ],
    thresholdsMissed: runs.flatMap((x) => [missedThresholds(x.spread.summary), missedThresholds(x.storm.summary)]),
    cores: coresOf(runs.map((x) => x.storm)),
    notes: [],
  };
}

export async function reminderStormScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const due = ctx.quick ? 200 : 2000;
  const nUsers = ctx.quick ? 20 : 100;
  // The reminders are created before their second comes: at half the create throughput measured
  // earlier in this suite run (50/s if it was not measured); a run that still cannot make it is
  // retried once with twice the lead time.
  const createsPerS = Math.max(20, (ctx.createsPerS ?? 100) / 2);
  let leadMs = 1000 * Math.ceil(5 + due / createsPerS);
  const waitMs = ctx.quick ? 30_000 : 90_000;
  const rs = await repeat(ctx, `k6 reminder storm (${due} reminders due in one second, ${nUsers} users)`, async (i) => {
    for (let attempt = 1; ; attempt++) {
      const users = await benchUsers(nUsers, 'bench-rstorm');
      try {
        return await runK6({ k6: ctx.k6, script: 'reminderStorm.js', label: ctx.label(`reminders-${attempt}`, i), env: { WAIT_MS: waitMs }, data: k6Data(users, { due, leadMs }) });
      } catch (err) {
        if (attempt > 1 || !/longer than the lead time/.test(String(err))) throw err;
        leadMs *= 2;
        say(`  creating the reminders took longer than the lead time; again with ${leadMs / 1000} s`);
      }
    }
  });
  const s = rs.map((r) => r.summary);
  const t = (m: string, k: string) => s.map((x) => stat(x, m, k));
  return {
    name: 'reminders', title: 'Reminder storm (k6 scenario 3)',
    setup: `${due} tasks created through POST /v1/tasks, each with one reminder {at} for the same second, ${leadMs / 1000} s ahead (the creates finish before it), over ${nUsers} users; one WebSocket per user records reminder.due; the SMTP sink is polled (GET /messages?to=) until every email is there or ${waitMs / 1000} s have passed. Lateness = time − the scheduled second`,
    commands: [rs[0].command],
    figures: [
      figure('reminders.fire.p50', "actor's fire lateness p50 (reminder.due firedAt)", 'ms', t('reminder_fire_lateness_ms', 'med')),
      figure('reminders.fire.p99', 'fire lateness p99', 'ms', t('reminder_fire_lateness_ms', 'p(99)')),
      figure('reminders.fire.max', 'fire lateness max', 'ms', t('reminder_fire_lateness_ms', 'max')),
      figure('reminders.device.p99', 'arrival on the device p99', 'ms', t('reminder_device_lateness_ms', 'p(99)')),
      figure('reminders.email.p50', 'email at the SMTP sink p50', 'ms', t('reminder_email_lateness_ms', 'med')),
      figure('reminders.email.p99', 'email p99', 'ms', t('reminder_email_lateness_ms', 'p(99)')),
      figure('reminders.email.max', 'email max (the last one)', 'ms', t('reminder_email_lateness_ms', 'max')),
      figure('reminders.mailed', 'reminders mailed, of those created', '%', t('reminder_mailed', 'rate').map((x) => 100 * x)),
      figure('reminders.delivered', 'reminder.due delivered to the devices', '%', t('reminder_due_delivered', 'rate').map((x) => 100 * x)),
      figure('reminders.created', 'reminders created before their second (acknowledged creates)', '',
        s.map((x) => stat(x, 'http_reqs{endpoint:setup-create}', 'count') * (1 - stat(x, 'http_req_failed{endpoint:setup-create}', 'rate')))),
    ],
    thresholdsMissed: s.map(missedThresholds),
    cores: coresOf(rs),
    notes: [],
  };
}

export async function devicesScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const nUsers = ctx.quick ? 50 : 500;
  const perUser = 2;
  const writeRate = ctx.quick ? 20 : 50;
  const writeSeconds = ctx.quick ? 5 : 20;
  const rs = await repeat(ctx, `k6 devices (${nUsers * perUser} WebSockets, ${writeRate} writes/s for ${writeSeconds} s)`, async (i) => {
    const users = await benchUsers(nUsers, 'bench-device');
    const gatewayBefore = memoryByGroup(stackGroups()).get('gateway')?.rss ?? Number.NaN;
    const r = await runK6({ k6: ctx.k6, script: 'devices.js', label: ctx.label('devices', i),
      env: { DEVICES_PER_USER: perUser, RATE: writeRate, WRITE_SECONDS: writeSeconds }, data: k6Data(users),
      window: { fromS: 3.5, toS: 3 + writeSeconds - 0.5 } });
    return Object.assign(r, { gatewayBefore });
  });
  const s = rs.map((r) => r.summary);
  const perSocketKiB = rs.map((r) => ((r.memory.gateway?.rss ?? Number.NaN) - r.gatewayBefore) / 1024 / stat(r.summary, 'device_sockets_opened', 'count'));
  const t = (k: string) => s.map((x) => stat(x, 'device_latency_ms', k));
  const delivered = s.map((x) => 100 * stat(x, 'device_events', 'count') / (stat(x, 'device_writes_ok', 'count') * perUser));
  return {
    name: 'devices', title: 'WebSocket devices while writes go on (k6 scenario 4)',
    setup: `${nUsers} users × ${perUser} devices = ${nUsers * perUser} WebSockets on GET /v1/stream (Bearer header), open for the whole run; from 3 s on, ${writeRate} creates/s for ${writeSeconds} s for those users; latency = arrival of the task.created on a device − the start of the create request`,
    commands: [rs[0].command],
    figures: [
      figure('devices.p50', 'write → device p50', 'ms', t('med')),
      figure('devices.p95', 'write → device p95', 'ms', t('p(95)')),
      figure('devices.p99', 'write → device p99', 'ms', t('p(99)')),
      figure('devices.max', 'write → device max', 'ms', t('max')),
      figure('devices.event.p50', "from the event's time (built by the actor just before its commit) to the device, p50", 'ms', s.map((x) => stat(x, 'device_event_latency_ms', 'med'))),
      figure('devices.event.p99', "from the event's time to the device, p99", 'ms', s.map((x) => stat(x, 'device_event_latency_ms', 'p(99)'))),
      figure('devices.create.p50', 'the create request itself, p50', 'ms', s.map((x) => dur(x, 'create', 'med'))),
      figure('devices.delivered', 'events received / (acknowledged writes × devices)', '%', delivered),
      figure('devices.sockets', 'sockets opened', '', s.map((x) => stat(x, 'device_sockets_opened', 'count'))),
      figure('devices.gatewayRss', 'gateway RSS with the sockets open', 'MiB', rs.map((r) => (r.memory.gateway?.rss ?? Number.NaN) / MiB)),
      figure('devices.perSocket', 'gateway RSS growth per open socket (during writes, vs. just before the run)', 'KiB', perSocketKiB),
    ],
    thresholdsMissed: s.map(missedThresholds),
    cores: coresOf(rs),
    memoryMiB: memoryOf(rs),
    notes: [],
  };
}
