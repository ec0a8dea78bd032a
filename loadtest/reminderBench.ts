/**
 * Reminder lateness through the real stack: with `pending` reminders registered far in the future,
 * `due` reminders are set for the same second; lateness = the actor's fire time minus the
 * scheduled time (from reminder.due's firedAt), and the email's arrival at the SMTP sink minus the
 * scheduled time. A small warm-up round, then three runs; the tables show the median (min–max) of
 * each run's p50, p99 and max.
 *
 * Where the time goes: the stages in between (Kafka acknowledged the outbox batch, the
 * notifications consumer recorded the event), the CPU each stack process used while the run's
 * reminders were delivered, and how busy the whole machine was (others share it).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { REPO_ROOT } from '../stack/paths';
import { httpRequest } from '../common/httpClient';
import { say } from '../stack/progress';
import { inParallel, tokenFor, uniqueUser } from '../stack/testSupport';
import { benchCommand, percentile, stackGroups, summarize, writeResultsFile, type Summary } from './kit';
import { coresUsed, cpuSecondsByGroup, machineBusySeconds } from './processCpu';
import { replaceSection } from './resultsMd';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface User {
  id: string;
  email: string;
  auth: string;
}

/** Creates the task, retrying 429 and 503 (the API's "try again") with the same Idempotency-Key, so a retry never makes a second task. */
async function createTask(u: User, body: object): Promise<string> {
  const key = randomUUID();
  for (let attempt = 0; ; attempt++) {
    const res = await httpRequest({ port: config.gatewayPort, method: 'POST', path: '/v1/tasks', timeoutMs: 30_000,
      headers: { authorization: u.auth, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    if (res.status === 201 || res.status === 200) return (JSON.parse(res.body) as { id: string }).id;
    if ((res.status !== 429 && res.status !== 503) || attempt > 20) throw new Error(`create failed: ${res.status} ${res.body.slice(0, 200)}`);
    await sleep(1000);
  }
}

/** Deletes the task (which cancels its reminders), retrying 429 and 503; a task already gone is fine. */
async function deleteTask(u: User, id: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await httpRequest({ port: config.gatewayPort, method: 'DELETE', path: `/v1/tasks/${id}`, timeoutMs: 30_000, headers: { authorization: u.auth } });
    if (res.status === 204 || res.status === 404) return;
    if ((res.status !== 429 && res.status !== 503) || attempt > 20) throw new Error(`delete failed: ${res.status} ${res.body.slice(0, 200)}`);
    await sleep(1000);
  }
}

async function newUsers(n: number): Promise<User[]> {
  return Promise.all(Array.from({ length: n }, async () => {
    const id = uniqueUser('bench-remind');
    const email = `${id}@example.com`;
    return { id, email, auth: `Bearer ${await tokenFor(id, email)}` };
  }));
}

function stats(xs: number[]): { p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
}

type Stats = { p50: number; p99: number; max: number };

export interface ReminderBenchRun {
  fire: Stats;
  /** Kafka acknowledged the outbox batch holding the reminder.due (outbox.published_at). */
  published: Stats;
  /** The notifications consumer recorded it (notifications.created_at). */
  recorded: Stats;
  email: Stats;
  fired: number;
  mailed: number;
  /** Cores each stack process used from the scheduled second until every email had arrived. */
  cores: Record<string, number>;
  /** Cores the whole machine was busy meanwhile, the stack's and everybody else's (2 = both, all the time). */
  machineCores: number;
  seconds: number;
}

export interface ReminderBenchResult {
  pending: number;
  due: number;
  runs: ReminderBenchRun[];
  summary: Record<string, Summary>;
}

/** One run: `due` reminders set for the same second, then their fire times, stages and emails. */
async function measureRun(pool: Pool, users: User[], due: number, leadMs: number, run: number): Promise<ReminderBenchRun> {
  const fireAt = new Date(Math.ceil((Date.now() + leadMs) / 1000) * 1000);
  say(`▶ bench: ${due} reminders due at ${fireAt.toISOString()}, ${run === 0 ? 'warm-up (not counted)' : `run ${run}/3`}`);
  const ids: string[] = [];
  await inParallel(Array.from({ length: due }, (_, i) => i), 32, async (i) => {
    ids.push(await createTask(users[i % users.length], { title: `due ${run}-${i}`, reminders: [{ at: fireAt.toISOString() }] }));
  });
  if (Date.now() > fireAt.getTime()) throw new Error('creating the due reminders took longer than the lead time; raise it');
  await sleep(fireAt.getTime() - Date.now());
  const groups = stackGroups();
  const cpuBefore = cpuSecondsByGroup(groups);
  const busyBefore = machineBusySeconds();
  const t0 = Date.now();
  const deadline = fireAt.getTime() + 120_000;
  let fired: number[] = [];
  let mailed: number[] = [];
  const wanted = new Set(ids);
  while (Date.now() < deadline) {
    await sleep(1000);
    const rows = await pool.query<{ fired_at: string }>(
      "SELECT payload->'data'->>'firedAt' AS fired_at FROM outbox WHERE payload->>'type' = 'reminder.due' AND payload->>'taskId' = ANY($1::text[])", [ids],
    );
    fired = rows.rows.map((r) => Date.parse(r.fired_at) - fireAt.getTime());
    const res = await httpRequest({ port: config.smtpSinkHttpPort, method: 'GET', path: '/messages', timeoutMs: 30_000 });
    const messages = JSON.parse(res.body) as Array<{ text: string; receivedAt: string }>;
    mailed = messages.filter((m) => {
      const id = /\/v1\/tasks\/([0-9a-f-]{36})/.exec(m.text)?.[1];
      return id !== undefined && wanted.has(id);
    }).map((m) => Date.parse(m.receivedAt) - fireAt.getTime());
    if (fired.length >= due && mailed.length >= due) break;
  }
  const seconds = (Date.now() - t0) / 1000;
  const cores = coresUsed(cpuBefore, cpuSecondsByGroup(groups), seconds);
  const machineCores = (machineBusySeconds() - busyBefore) / seconds;
  const stages = (await pool.query<{ published: number | null; recorded: number | null }>(
    `SELECT extract(epoch FROM o.published_at) * 1000 AS published, extract(epoch FROM n.created_at) * 1000 AS recorded
       FROM outbox o LEFT JOIN notifications n ON n.event_id = o.event_id
      WHERE o.payload->>'type' = 'reminder.due' AND o.payload->>'taskId' = ANY($1::text[])`, [ids],
  )).rows;
  const since = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null).map((x) => Number(x) - fireAt.getTime());
  const r: ReminderBenchRun = {
    fire: stats(fired), published: stats(since(stages.map((x) => x.published))), recorded: stats(since(stages.map((x) => x.recorded))),
    email: stats(mailed), fired: fired.length, mailed: mailed.length, cores, machineCores, seconds,
  };
  say(`  fired ${r.fired}/${due}: p50 ${r.fire.p50} ms, p99 ${r.fire.p99} ms, max ${r.fire.max} ms; mailed ${r.mailed}/${due}: p50 ${r.email.p50} ms, p99 ${r.email.p99} ms, max ${r.email.max} ms`);
  say(`  in Kafka p50 ${Math.round(r.published.p50)} ms, recorded p50 ${Math.round(r.recorded.p50)} ms; machine ${machineCores.toFixed(2)} cores busy over ${seconds.toFixed(1)} s, of which ${Object.entries(cores).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
  return r;
}

/**
 * `npm run bench -- --reminders` (and part of the suite's `node` part): the bench, its results file
 * `results/reminders-<date>.json` and its RESULTS.md section.
 */
export async function runReminderBench(args: string[]): Promise<number> {
  const pool = createPool('bench');
  let result: ReminderBenchResult;
  try {
    result = await measureReminders(pool, args.includes('--quick'));
  } finally {
    await pool.end();
  }
  const date = new Date().toISOString();
  const command = benchCommand(args);
  const file = writeResultsFile('reminders-', date, { date, command, reminders: result });
  writeRemindersTable(date, command, result);
  say(`results: ${path.relative(REPO_ROOT, file)} and loadtest/RESULTS.md`);
  return 0;
}

export async function measureReminders(pool: Pool, quick: boolean): Promise<ReminderBenchResult> {
  const pending = quick ? 1000 : 10_000;
  const due = quick ? 100 : 1000;
  const users = await newUsers(50);
  // Pending for 30 days, and deleted at the end: pending reminders a bench leaves behind would all
  // fire together on the stack later (an hour ahead, they did, and starved the next test run).
  say(`▶ bench: registering ${pending} reminders due in 30 days`);
  const farAway = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const started = Date.now();
  const pendingTasks: Array<{ user: User; id: string }> = [];
  await inParallel(Array.from({ length: pending }, (_, i) => i), 32, async (i) => {
    const user = users[i % users.length];
    pendingTasks.push({ user, id: await createTask(user, { title: `pending ${i}`, reminders: [{ at: farAway }] }) });
  });
  // Time to register the due reminders of a run: twice what it took at the rate just seen (the
  // machine is shared and its speed varies), and at least the usual lead.
  const leadMs = Math.max(quick ? 10_000 : 25_000, Math.ceil((2 * due * (Date.now() - started)) / pending) + 5000);
  const runs: ReminderBenchRun[] = [];
  try {
    // A first, smaller round that is not counted: connections (SMTP, Kafka fetches, pools) and the
    // JIT warm up there, as they would have on a stack that has been running.
    await measureRun(pool, users, Math.ceil(due / 10), leadMs, 0);
    for (let run = 1; run <= 3; run++) runs.push(await measureRun(pool, users, due, leadMs, run));
  } finally {
    say(`▶ bench: deleting the ${pendingTasks.length} pending reminders' tasks`);
    await inParallel(pendingTasks, 32, async ({ user, id }) => deleteTask(user, id));
  }
  const flat = (r: ReminderBenchRun): Record<string, number> => ({
    ...Object.fromEntries((['fire', 'published', 'recorded', 'email'] as const).flatMap((st) => (['p50', 'p99', 'max'] as const).map((q) => [`${st}.${q}`, r[st][q]]))),
    fired: r.fired, mailed: r.mailed, machineCores: r.machineCores,
    ...Object.fromEntries(Object.entries(r.cores).map(([k, v]) => [`cores:${k}`, v])),
  });
  const keys = Object.keys(flat(runs[0]));
  return { pending, due, runs, summary: Object.fromEntries(keys.map((k) => [k, summarize(runs.map((r) => flat(r)[k] ?? 0))])) };
}

function writeRemindersTable(date: string, command: string, r: ReminderBenchResult): void {
  const s = r.summary;
  const ms = (x: Summary) => `${x.median.toFixed(0)} ms (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;
  replaceSection('reminders', 'Reminder lateness through the real stack', [
    `Command: \`${command}\` (${date.slice(0, 16)}Z). ${r.pending.toLocaleString('en')} reminders pending 30 days ahead, then ${r.due.toLocaleString('en')} reminders due in the same second, 3 runs after a warm-up round of a tenth as many; lateness = time minus the scheduled second. Figures: median (min–max) of the 3 runs.`,
    '',
    '| measured from | p50 | p99 | max | count | goal (issue 4) |',
    '|---|---|---|---|---|---|',
    `| the actor's fire time (reminder.due firedAt) | ${ms(s['fire.p50'])} | ${ms(s['fire.p99'])} | ${ms(s['fire.max'])} | ${s.fired.median} of ${r.due} | p50 ≤ 50 ms, p99 ≤ 250 ms |`,
    `| … in Kafka (outbox batch acknowledged) | ${ms(s['published.p50'])} | ${ms(s['published.p99'])} | ${ms(s['published.max'])} | | |`,
    `| … recorded by the notifications consumer | ${ms(s['recorded.p50'])} | ${ms(s['recorded.p99'])} | ${ms(s['recorded.max'])} | | |`,
    `| the email's arrival at the SMTP sink | ${ms(s['email.p50'])} | ${ms(s['email.p99'])} | ${ms(s['email.max'])} | ${s.mailed.median} of ${r.due} | all mailed within 5 s |`,
    '',
    `From the scheduled second until the last email (median of the runs): the machine was ${s.machineCores.median.toFixed(2)} cores busy (${s.machineCores.min.toFixed(2)}–${s.machineCores.max.toFixed(2)}; everybody's processes, of ${os.cpus().length}), of which the stack's processes: ${
      Object.entries(s).filter(([k]) => k.startsWith('cores:')).sort((a, b) => b[1].median - a[1].median).map(([k, v]) => `${k.slice(6)} ${v.median.toFixed(2)}`).join(', ')}.`,
  ].join('\n'));
}
