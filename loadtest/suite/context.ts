/** What every part of the suite shares: the k6 binary, the database, the run's size, and the users. */
import type { Pool } from 'pg';
import { say } from '../../stack/progress';
import type { BenchUser } from './benchUsers';

export interface SuiteContext {
  k6: string;
  pool: Pool;
  quick: boolean;
  /** Runs per scenario: 3, or 1 in a quick run. */
  runs: number;
  /** The mixed workload's users with their seeded tasks, shared by several scenarios. */
  users: BenchUser[];
  /** Creates per second measured by the throughput runs of this suite run, once they ran. */
  createsPerS?: number;
  /** Unique label of one k6 run, for its data, summary and log files. */
  label(name: string, run: number): string;
}

/** Runs fn once per run, saying which. */
export async function repeat<T>(ctx: SuiteContext, what: string, fn: (run: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const t0 = Date.now();
  for (let i = 1; i <= ctx.runs; i++) {
    say(`▶ bench: ${what}, run ${i}/${ctx.runs}`);
    out.push(await fn(i));
  }
  say(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return out;
}
