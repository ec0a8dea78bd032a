/**
 * Faults on the local stack, for the fault tests and `npm run chaos`: a process of the stack killed
 * by its recorded pid (its process group, as processes.ts always does), and the stack's own restart
 * (`up`, which starts what is not running, as Kubernetes restarts a dead pod). No second way of
 * finding or starting processes: the stack's state file and `up` are the only ones.
 */
import { maxTries, retryCeilingMs, type RetryPolicy } from '../common/backoff';
import { isAlive, stopProcess } from './processes';
import { up } from './stack';
import { readState, type ProcessRecord } from './stackState';

/** The recorded process of that name, if the stack runs it. */
export function stackProcess(name: string): ProcessRecord | undefined {
  return readState()?.processes.find((p) => p.name === name);
}

/** Every recorded process that is alive now, by name. */
export function aliveProcesses(): Map<string, ProcessRecord> {
  return new Map((readState()?.processes ?? []).filter((p) => isAlive(p)).map((p) => [p.name, p]));
}

/**
 * kill -9 of a stack process (and everything in its process group) by its recorded pid; resolves
 * once it is gone. Throws when the stack does not run it, so a fault never silently misses.
 */
export async function kill9(name: string): Promise<ProcessRecord> {
  const p = stackProcess(name);
  if (!p || !isAlive(p)) throw new Error(`cannot inject a fault: the stack runs no ${name}`);
  await stopProcess(p, 'SIGKILL', 10_000);
  return p;
}

/**
 * How `restartStopped` waits between its tries: 5, 10, then 20 s (common/backoff.ts's ceilings),
 * as Kubernetes backs off restarting a crashing pod. A try can fail at once, not only time out:
 * while the Dapr scheduler was away, a sidecar dialling 127.0.0.1:<its port> got that very port as
 * its ephemeral source port (the stack's ports lie in Linux's ephemeral range, 32768-60999) and
 * connected to itself, and the restarted scheduler's bind failed with "address already in use"
 * until that connection closed (seen once, 14:16 UTC 3 Dec; three tries in 4 s all failed).
 */
export const RESTART_BACKOFF: RetryPolicy = { baseMs: 5000, capMs: 20_000, maxRetries: 4 };

/**
 * Starts whatever is not running and waits until the stack is healthy again (the stack's `up`).
 * A start that fails (on a loaded machine Kafka's restart after kill -9 took over 2 min; a port
 * can be held for a while, see RESTART_BACKOFF) is tried again after a pause, up to
 * `maxTries(policy)` times in all. Returns the number of tries.
 */
export async function restartStopped(policy: RetryPolicy = RESTART_BACKOFF): Promise<number> {
  for (let failed = 0; ; failed++) {
    try {
      await up();
      return failed + 1;
    } catch (err) {
      if (failed + 1 >= maxTries(policy)) throw err;
      await new Promise((r) => setTimeout(r, retryCeilingMs(failed + 1, policy)));
    }
  }
}

/**
 * The processes that were alive in `before` and are not now (or are another process under the same
 * name), except those named in `expected`: what died besides the fault's target.
 */
export function collateralExits(before: Map<string, ProcessRecord>, expected: readonly string[]): string[] {
  const now = aliveProcesses();
  return [...before.values()]
    .filter((p) => !expected.includes(p.name))
    .filter((p) => { const n = now.get(p.name); return !n || n.pid !== p.pid || n.startTime !== p.startTime; })
    .map((p) => p.name);
}
