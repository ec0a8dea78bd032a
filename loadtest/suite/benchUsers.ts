/**
 * The users a k6 run acts as: fresh ids (so runs never see each other's data), a signed
 * development JWT each (HS256 with JWT_SECRET, as `npm run token` makes), an email address for
 * reminders, and optionally tasks seeded straight into PostgreSQL (what the actor would have
 * written; much faster than creating them through the API, and not part of what is measured).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { config } from '../../common/config';
import { inTransaction } from '../../common/db/pool';
import { insertNewTask } from '../../actors/taskStore';
import { newTask } from '../../actors/taskRules';
import { signDevToken } from '../../gateway/auth';
import { gateway } from '../kit';

export interface BenchUser {
  id: string;
  email: string;
  token: string;
  taskIds: string[];
}

export async function benchUsers(n: number, prefix: string, opts: { pool?: Pool; tasksEach?: number; ttlSeconds?: number } = {}): Promise<BenchUser[]> {
  const run = randomUUID().slice(0, 6);
  const users = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const id = `${prefix}-${run}-${i}`;
    const email = `${id}@bench.example.com`;
    return { id, email, token: await signDevToken(id, email, opts.ttlSeconds ?? 3 * 3600), taskIds: [] as string[] };
  }));
  const each = opts.tasksEach ?? 0;
  if (each > 0) {
    if (!opts.pool) throw new Error('seeding tasks needs a database pool');
    const pool = opts.pool;
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(config.pgPoolSize, 8) }, async () => {
      while (next < users.length) {
        const u = users[next++];
        await inTransaction(pool, async (tx) => {
          for (let i = 0; i < each; i++) {
            const t = newTask({ title: `seeded ${i}`, priority: (['low', 'medium', 'high'] as const)[i % 3], tags: ['bench'] }, 'UTC', new Date(Date.now() - i * 1000));
            await insertNewTask(tx, u.id, t, {});
            u.taskIds.push(t.id);
          }
        });
      }
    }));
  }
  return users;
}

/** What every k6 script reads (loadtest/k6/lib/api.js): the URLs and the users. */
export function k6Data(users: BenchUser[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    baseUrl: `http://127.0.0.1:${config.gatewayPort}`,
    wsUrl: `ws://127.0.0.1:${config.gatewayPort}`,
    sinkUrl: `http://127.0.0.1:${config.smtpSinkHttpPort}`,
    users,
    ...extra,
  };
}

/**
 * Erases these users through the API (DELETE /v1/me, `concurrency` at a time): their tasks and
 * the reminders still pending, which Dapr would otherwise fire into a later run (the stack's data
 * outlives a bench; an hour-ahead reminder of one run fired during the next, on its measured
 * processes). Answers how many were erased; a failure is counted, never thrown.
 */
export async function eraseBenchUsers(users: BenchUser[], concurrency = 8): Promise<{ erased: number; failed: number }> {
  let next = 0;
  let erased = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < users.length) {
      const u = users[next++];
      const r = await gateway('DELETE', '/v1/me', `Bearer ${u.token}`).catch(() => undefined);
      if (r && (r.status === 200 || r.status === 202)) erased++;
      else failed++;
    }
  }));
  return { erased, failed };
}
