/**
 * Faults on the local stack, for the fault tests and `npm run chaos`: a process of the stack killed
 * by its recorded pid (its process group, as processes.ts always does), and the stack's own restart
 * (`up`, which starts what is not running, as Kubernetes restarts a dead pod). No second way of
 * finding or starting processes: the stack's state file and `up` are the only ones.
 */
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
 * Starts whatever is not running and waits until the stack is healthy again (the stack's `up`).
 * A start that times out is tried again, up to `attempts` times in all, as Kubernetes restarts a
 * pod whose probes failed (on a loaded machine Kafka's restart after kill -9 took over 2 min).
 */
export async function restartStopped(attempts = 3): Promise<number> {
  for (let i = 1; ; i++) {
    try {
      await up();
      return i;
    } catch (err) {
      if (i >= attempts) throw err;
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
