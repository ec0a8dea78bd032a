/**
 * The peer bench (`npm run bench -- --peer`, and the suite's `peer` part): the same k6 scenarios,
 * one after the other, against this system's gateway and against the Restate peer
 * (loadtest/peer: a virtual object per user run by restate-server from npm): creates, lists of 20
 * of 20 tasks per user, creates at half the measured maximum rate, creates with one reminder, and
 * a reminder storm. The scripts are the suite's own (k6/throughput.js, k6/reminderStorm.js); only
 * the data's `baseUrl` and `target: "peer"` differ (k6/lib/api.js routes a create and a list to the
 * peer's ingress).
 * CPU is counted over each system's own processes: the stack's while this system runs, the
 * Restate server's and the peer service's while the peer runs (the stack idles meanwhile and is
 * counted in "other").
 */
import { say } from '../../stack/progress';
import { startPeer, seedPeer, type Peer } from '../peer/peerStack';
import { benchUsers, eraseBenchUsers, k6Data, type BenchUser } from './benchUsers';
import { repeat, type SuiteContext } from './context';
import { figure, formatFigure, summarizeKeys, type Figure, type ScenarioResult } from './figures';
import { missedThresholds, runK6, stat, type K6Result, type K6Summary } from './k6Run';
import { peerId } from './peerReport';
import { stackCores, stackCoresByProcess } from './scenarios';
import { remindersDueWithin, settle } from '../stackProbe';

type System = 'this' | 'peer';
const TASKS_EACH = 20;
const PEER_SETTLE_MS = 5000;

interface Target {
  system: System;
  data: (users: BenchUser[], extra?: Record<string, unknown>) => Record<string, unknown>;
  groups?: Map<number, string>;
  /** Waits until the system has done the work the full-speed runs left behind (this system: consumer lag, outbox, emails). */
  settle: () => Promise<void>;
  /** Removes what the creates left due later (this system: the hour-ahead reminders), before a later run meets it. */
  cleanUp: (users: BenchUser[]) => Promise<void>;
}

interface SystemRuns {
  list: K6Result[];
  create: K6Result[];
  /** Creates at half the median rate of `create`: an open model, for the latency at a load the system keeps up with. */
  createHalf: K6Result[];
  remind: K6Result[];
  storm: K6Result[];
}

const dur = (s: K6Summary, e: string, k: string) => stat(s, `http_req_duration{endpoint:${e}}`, k);
const rate = (s: K6Summary, e: string) => stat(s, `http_reqs{endpoint:${e}}`, 'rate');

/** The median request rate of endpoint `e` over some runs (NaN when none). */
export function medianRate(runs: K6Result[], e: string): number {
  const rates = runs.map((r) => rate(r.summary, e)).sort((a, b) => a - b);
  return rates.length ? rates[Math.floor((rates.length - 1) / 2)] : Number.NaN;
}

/**
 * Where a request's CPU time goes: ms per request of each of the system's processes (its cores
 * over the run × 1000 / the run's request rate), the median over the runs.
 */
export function cpuPerRequestByProcess(runs: K6Result[], e: string): Record<string, number> {
  const perRun = runs.map((r) => {
    const rps = rate(r.summary, e);
    return Object.fromEntries(Object.entries(stackCoresByProcess(r)).map(([k, v]) => [k, (v * 1000) / rps]));
  });
  return Object.fromEntries(Object.entries(summarizeKeys(perRun)).map(([k, s]) => [k, s.median]));
}

/** The per-process CPU per request of a system's list, create and create-with-reminder runs. */
const cpuByEndpoint = (runs: SystemRuns) => ({
  creates: cpuPerRequestByProcess(runs.create, 'create'),
  'lists of 20': cpuPerRequestByProcess(runs.list, 'list'),
  'creates with one reminder': cpuPerRequestByProcess(runs.remind, 'remind'),
});

async function runSystem(ctx: SuiteContext, t: Target, listUsers: BenchUser[], sizes: { seconds: number; due: number; stormUsers: number; waitMs: number }): Promise<SystemRuns> {
  const name = t.system === 'this' ? 'this system' : 'the Restate peer';
  const label = (what: string, i: number) => ctx.label(`peer-${t.system}-${what}`, i);
  const throughput = (endpoint: 'list' | 'create' | 'remind', users: BenchUser[]) =>
    repeat(ctx, `k6 ${endpoint} throughput against ${name}, 32 VUs, ${sizes.seconds} s`, (i) =>
      runK6({ k6: ctx.k6, script: 'throughput.js', label: label(endpoint, i), env: { ENDPOINT: endpoint, DURATION: `${sizes.seconds}s`, VUS: 32 }, data: t.data(users), groups: t.groups }));
  await t.settle();
  const list = await throughput('list', listUsers);
  const createUsers = await benchUsers(listUsers.length, `bench-peer-${t.system}-create`);
  const create = await throughput('create', createUsers);
  const halfRate = Math.max(1, Math.round(medianRate(create, 'create') / 2) || 1);
  await t.settle(); // a latency at half the rate, not the tail of the full-speed runs' backlog
  const createHalf = await repeat(ctx, `k6 creates at ${halfRate}/s (half the measured maximum) against ${name}, ${sizes.seconds} s`, (i) =>
    runK6({ k6: ctx.k6, script: 'throughput.js', label: label('create-half', i), env: { ENDPOINT: 'create', RATE: halfRate, DURATION: `${sizes.seconds}s`, VUS: 32 }, data: t.data(createUsers), groups: t.groups }));
  const remind = await throughput('remind', createUsers);
  await t.cleanUp(createUsers);
  await t.settle(); // the storm's lateness and emails, not the tail of the creates' backlog
  // The storm's reminders are created before their second comes, at half this system's measured rate of creates with a reminder.
  const remindsPerS = Math.max(20, medianRate(remind, 'remind') / 2 || 20);
  let leadMs = 1000 * Math.ceil(5 + sizes.due / remindsPerS);
  const storm = await repeat(ctx, `k6 reminder storm against ${name} (${sizes.due} reminders due in one second, ${sizes.stormUsers} users)`, async (i) => {
    for (let attempt = 1; ; attempt++) {
      const users = await benchUsers(sizes.stormUsers, `bench-peer-${t.system}-rstorm`);
      try {
        return await runK6({ k6: ctx.k6, script: 'reminderStorm.js', label: label(`storm-${attempt}`, i), env: { WAIT_MS: sizes.waitMs }, data: t.data(users, { due: sizes.due, leadMs }), groups: t.groups });
      } catch (err) {
        if (attempt > 1 || !/longer than the lead time/.test(String(err))) throw err;
        leadMs *= 2;
        say(`  creating the reminders took longer than the lead time; again with ${leadMs / 1000} s`);
      }
    }
  });
  return { list, create, createHalf, remind, storm };
}

/** The figures of one system, with ids peer.<system>.<what> (peerReport.ts pairs them). */
export function systemFigures(system: System, runs: SystemRuns): Figure[] {
  const id = (what: string) => peerId(system, what);
  const endpoint = (e: 'create' | 'list' | 'remind', title: string, rs: K6Result[]) => {
    const s = rs.map((r) => r.summary);
    const rps = s.map((x) => rate(x, e));
    return [
      figure(id(`${e}.rps`), `${title}/s`, 'req/s', rps),
      figure(id(`${e}.p50`), `${title} p50`, 'ms', s.map((x) => dur(x, e, 'med'))),
      figure(id(`${e}.p99`), `${title} p99`, 'ms', s.map((x) => dur(x, e, 'p(99)'))),
      figure(id(`${e}.errors`), `${title} failed`, '%', s.map((x) => 100 * stat(x, `http_req_failed{endpoint:${e}}`, 'rate'))),
      figure(id(`${e}.cpuMsPerRequest`), `${title}: CPU time per request, all of the system's processes`, 'ms', rs.map((r, i) => (stackCores(r) * 1000) / rps[i])),
    ];
  };
  const st = runs.storm.map((r) => r.summary);
  const t = (m: string, k: string) => st.map((x) => stat(x, m, k));
  return [
    ...endpoint('create', 'creates', runs.create),
    figure(id('createHalf.p99'), 'creates at half the measured maximum rate (each system its own) p99', 'ms', runs.createHalf.map((r) => dur(r.summary, 'create', 'p(99)'))),
    figure(id('createHalf.rps'), 'creates at half the measured maximum rate: the rate held', 'req/s', runs.createHalf.map((r) => rate(r.summary, 'create'))),
    ...endpoint('list', `lists of ${TASKS_EACH} (of ${TASKS_EACH} per user)`, runs.list),
    ...endpoint('remind', 'creates with one reminder', runs.remind),
    figure(id('storm.fire.p50'), 'reminder storm: fire lateness p50', 'ms', t('reminder_fire_lateness_ms', 'med')),
    figure(id('storm.fire.p99'), 'reminder storm: fire lateness p99', 'ms', t('reminder_fire_lateness_ms', 'p(99)')),
    figure(id('storm.fire.max'), 'reminder storm: fire lateness max', 'ms', t('reminder_fire_lateness_ms', 'max')),
    figure(id('storm.fired'), 'reminder storm: reminders fired, of those created', '%',
      st.map((x) => 100 * stat(x, system === 'peer' ? 'reminder_fired' : 'reminder_due_delivered', 'rate'))),
  ];
}

/**
 * This system's creates with a reminder leave one due an hour later per request, thousands in
 * all, in the stack's lasting data: a bench an hour later would measure their firing and emails
 * with its own requests. The users are erased through the API instead (their tasks and reminders).
 */
async function eraseTheirReminders(users: BenchUser[]): Promise<void> {
  const t0 = Date.now();
  const r = await eraseBenchUsers(users);
  say(`  erased ${r.erased} of ${users.length} users of the creates (their hour-ahead reminders with them) in ${((Date.now() - t0) / 1000).toFixed(1)} s${r.failed ? `; ${r.failed} failed: their reminders fire in an hour` : ''}`);
}

/** Runs the peer bench: this system first, then the peer (started here, seeded, stopped afterwards). */
export async function peerScenario(ctx: SuiteContext): Promise<ScenarioResult> {
  const nUsers = ctx.quick ? 50 : 500;
  const sizes = { seconds: ctx.quick ? 3 : 10, due: ctx.quick ? 200 : 2000, stormUsers: ctx.quick ? 20 : 100, waitMs: ctx.quick ? 30_000 : 60_000 };
  say(`▶ bench: peer: ${nUsers} users with ${TASKS_EACH} tasks each for the lists (this system: written to PostgreSQL)`);
  const listUsers = await benchUsers(nUsers, 'bench-peer-list', { pool: ctx.pool, tasksEach: TASKS_EACH });
  const dueMinutes = ctx.quick ? 8 : 20; // about how long this system's part runs
  const earlier = await remindersDueWithin(ctx.pool, dueMinutes * 60_000);
  const earlierNote = earlier > 0
    ? `${earlier.toLocaleString('en-US')} reminders set before this run were due within its first ${dueMinutes} minutes: their firing and emails ran on this system's measured processes.`
    : `No reminder set before this run was due during this system's part of it (${dueMinutes} minutes).`;
  if (earlier > 0) say(`  ${earlierNote}`);
  const ours = await runSystem(ctx, { system: 'this', data: (u, extra) => k6Data(u, extra), settle: async () => void (await settle(ctx.pool, 90, ctx.quick ? 1 : 2)), cleanUp: eraseTheirReminders }, listUsers, sizes);

  let peer: Peer | undefined;
  let theirs: SystemRuns;
  try {
    peer = await startPeer();
    const p = peer;
    say(`▶ bench: peer: seeding the same ${nUsers} users with ${TASKS_EACH} tasks each through the peer's create`);
    await seedPeer(p, listUsers.map((u) => u.id), TASKS_EACH);
    // The peer answers a create once its journal is committed and has no consumers behind it: a pause is all it needs.
    const pause = async () => void (await new Promise((r) => setTimeout(r, PEER_SETTLE_MS)));
    theirs = await runSystem(ctx, { system: 'peer', data: (u, extra) => k6Data(u, { ...extra, baseUrl: p.ingressUrl, target: 'peer' }), groups: p.groups, settle: pause, cleanUp: async () => undefined /* its data directory is removed with it */ }, listUsers, sizes);
  } finally {
    await peer?.stop();
  }
  const all = [...ours.list, ...ours.create, ...ours.remind];
  const email = (k: string) => formatFigure(figure('peer.this.storm.email', 'storm email lateness', 'ms', ours.storm.map((r) => stat(r.summary, 'reminder_email_lateness_ms', k))));
  const peerAll = [...theirs.list, ...theirs.create, ...theirs.remind];
  return {
    name: 'peer', title: 'Against a peer: the same workload on Restate (issue 19)',
    setup: `${nUsers} users with ${TASKS_EACH} open tasks each for the lists (GET /v1/tasks?limit=20; on the peer POST /TodoUser/{user}/list {limit: 20}); creates and creates with one reminder an hour ahead over ${nUsers} fresh users (POST /v1/tasks; on the peer POST /TodoUser/{user}/create, the same body); 32 VUs without think time, ${sizes.seconds} s per run, then, once the system has caught up (this system: no consumer lag, outbox rows or due emails; the peer: 5 s), creates at half of its own median rate of creates for as long (k6's constant-arrival-rate: the latency at a load it keeps up with); then the users of the creates are erased (DELETE /v1/me: their hour-ahead reminders would fire into a later run) and, caught up again, ${sizes.due} tasks with one reminder each for the same second over ${sizes.stormUsers} users, fire lateness = when the reminder fired − its instant (this system: the reminder.due event's firedAt on a WebSocket; the peer: the firedAt its delayed fire handler recorded). This system's stack runs first, then Restate ${peer?.version ?? ''} with the peer service; each run's CPU is that of the measured system's processes`,
    commands: [ours.list[0].command, ours.create[0].command, ours.createHalf[0].command, ours.remind[0].command, ours.storm[0].command, '(the same k6 commands against the peer, with target "peer" and its ingress URL in the BENCH_DATA file)'],
    figures: [...systemFigures('this', ours), ...systemFigures('peer', theirs)],
    thresholdsMissed: [],
    cores: summarizeKeys(all.map((r) => r.cores)),
    ownSection: true,
    extra: { thisThresholdsMissed: [...all, ...ours.storm].map((r) => missedThresholds(r.summary)), peerCores: summarizeKeys(peerAll.map((r) => r.cores)), cpuPerRequest: { this: cpuByEndpoint(ours), peer: cpuByEndpoint(theirs) }, peerThresholdsMissed: [...peerAll, ...theirs.storm].map((r) => missedThresholds(r.summary)) },
    notes: [earlierNote, `This system's storm also sends an email per reminder (the peer sends none): at the SMTP sink, lateness p99 ${email('p(99)')}, the last one ${email('max')} (goal, issue 19: every one within 5 s).`],
  };
}
