/**
 * The running stack's state file: which checkout started it, from which build, and every process
 * with its pid, start time, port and log. `up` uses it to reuse, restart or take over; `down` and
 * `status` read it. One state per cache directory, because ports are per machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './paths';

export interface ProcessRecord {
  name: string;
  group: 'infra' | 'app';
  pid: number;
  startTime: string;
  port: number;
  log: string;
  /** What it was started with (specFingerprint): a process of the stack started otherwise is restarted by `up`. */
  spec?: string;
}

export interface StackState {
  checkout: string;
  buildId: string;
  startedAt: string;
  pgPort: number;
  processes: ProcessRecord[];
}

export function readState(file = paths.stateFile): StackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeState(state: StackState, file = paths.stateFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, file);
}

export function clearState(file = paths.stateFile): void {
  fs.rmSync(file, { force: true });
}

export type UpPlan =
  | { kind: 'fresh' }
  | { kind: 'takeover'; from: string }
  | { kind: 'resume'; restartApps: boolean };

/**
 * What `up` does with an existing state: nothing recorded or nothing alive → start fresh; another
 * checkout's processes alive → take over (stop them all, then start ours); ours → keep what runs,
 * restarting the services when the build changed so tests never run against stale code.
 */
export function planUp(state: StackState | undefined, checkout: string, buildId: string, anyAlive: boolean): UpPlan {
  if (!state || !anyAlive) return { kind: 'fresh' };
  if (path.resolve(state.checkout) !== path.resolve(checkout)) return { kind: 'takeover', from: state.checkout };
  return { kind: 'resume', restartApps: state.buildId !== buildId };
}
