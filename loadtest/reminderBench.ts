/**
 * Reminder lateness through the real stack: with `pending` reminders registered far in the future,
 * `due` reminders are set for the same second; lateness = the actor's fire time minus the
 * scheduled time (from reminder.due's firedAt), and the email's arrival at the SMTP sink minus the
 * scheduled time. Three runs; the tables show the median (min–max) of each run's p50, p99 and max.
 */
import type { Pool } from 'pg';
import { config } from '../common/config';
import { httpRequest } from '../common/httpClient';
import { say } from '../stack/progress';
import { tokenFor, uniqueUser } from '../stack/testSupport';
import { percentile, summarize, type Summary } from './apiBench';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface User {
  id: string;
  email: string;
  auth: string;
}

async function createTask(u: User, body: object): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const res = await httpRequest({ port: config.gatewayPort, method: 'POST', path: '/v1/tasks', timeoutMs: 30_000,
      headers: { authorization: u.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status === 201) return (JSON.parse(res.body) as { id: string }).id;
    if (res.status !== 429 || attempt > 20) throw new Error(`create failed: ${res.status} ${res.body.slice(0, 200)}`);
    await sleep(1000);
  }
}

async function inParallel<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
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

export interface ReminderBenchResult {
  pending: number;
  due: number;
  runs: Array<{ fire: { p50: number; p99: number; max: number }; email: { p50: number; p99: number; max: number }; fired: number; mailed: number }>;
  summary: Record<string, Summary>;
}

export async function runReminderBench(pool: Pool, quick: boolean): Promise<ReminderBenchResult> {
  const pending = quick ? 1000 : 10_000;
  const due = quick ? 100 : 1000;
  const users = await newUsers(50);
  say(`▶ bench: registering ${pending} reminders due in an hour`);
  const farAway = new Date(Date.now() + 3600_000).toISOString();
  await inParallel(Array.from({ length: pending }, (_, i) => i), 32, async (i) => {
    await createTask(users[i % users.length], { title: `pending ${i}`, reminders: [{ at: farAway }] });
  });
  const runs: ReminderBenchResult['runs'] = [];
  for (let run = 1; run <= 3; run++) {
    const fireAt = new Date(Math.ceil((Date.now() + (quick ? 10_000 : 25_000)) / 1000) * 1000);
    say(`▶ bench: ${due} reminders due at ${fireAt.toISOString()}, run ${run}/3`);
    const ids: string[] = [];
    await inParallel(Array.from({ length: due }, (_, i) => i), 32, async (i) => {
      ids.push(await createTask(users[i % users.length], { title: `due ${run}-${i}`, reminders: [{ at: fireAt.toISOString() }] }));
    });
    if (Date.now() > fireAt.getTime()) throw new Error('creating the due reminders took longer than the lead time; raise it');
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
    const r = { fire: stats(fired), email: stats(mailed), fired: fired.length, mailed: mailed.length };
    say(`  fired ${r.fired}/${due}: p50 ${r.fire.p50} ms, p99 ${r.fire.p99} ms, max ${r.fire.max} ms; mailed ${r.mailed}/${due}: p50 ${r.email.p50} ms, p99 ${r.email.p99} ms, max ${r.email.max} ms`);
    runs.push(r);
  }
  const keys = ['fire.p50', 'fire.p99', 'fire.max', 'email.p50', 'email.p99', 'email.max', 'fired', 'mailed'] as const;
  const pick = (r: ReminderBenchResult['runs'][number], k: (typeof keys)[number]) => {
    const [a, b] = k.split('.') as [keyof typeof r, string | undefined];
    return b ? (r[a] as Record<string, number>)[b] : (r[a] as number);
  };
  return { pending, due, runs, summary: Object.fromEntries(keys.map((k) => [k, summarize(runs.map((r) => pick(r, k)))])) };
}
