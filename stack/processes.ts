/**
 * Background processes of the local stack: started detached with their output in a log file, and
 * identified by pid plus the kernel's start time of that pid, so a stop never signals a process
 * that merely reused a recorded pid. Stopping is always by pid (its process group), never by name.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Spawned {
  pid: number;
  startTime: string;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** True while the process that was recorded (pid and start time) is still running and not a zombie. */
export function isAlive(p: Spawned): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return after[0] !== 'Z' && after[19] === p.startTime;
  } catch {
    return false;
  }
}

export function commandLineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

export interface SpawnSpec {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: string;
  uid?: number;
  gid?: number;
}

export function spawnDetached(spec: SpawnSpec): Spawned {
  fs.mkdirSync(path.dirname(spec.log), { recursive: true });
  const fd = fs.openSync(spec.log, 'a');
  fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${spec.cmd} ${spec.args.join(' ')}\n`);
  try {
    const child = spawn(spec.cmd, spec.args, {
      cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', fd, fd], uid: spec.uid, gid: spec.gid,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.cmd}`);
    child.unref();
    const startTime = processStartTime(child.pid);
    if (!startTime) throw new Error(`${spec.cmd} exited at once; see ${spec.log}`);
    return { pid: child.pid, startTime };
  } finally {
    fs.closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // its process group: the process and anything it forked
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops a recorded process: `sig` first, SIGKILL after graceMs. Returns 'stopped', 'killed', or
 * 'gone' when the recorded process no longer exists (its pid is left alone even if reused).
 */
export async function stopProcess(p: Spawned, sig: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isAlive(p)) return 'gone';
  signal(p.pid, sig);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(p)) return 'stopped';
    await sleep(100);
  }
  signal(p.pid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(p); i++) await sleep(100);
  return 'killed';
}

/** The last lines of a log file, for error messages. */
export function tailOf(file: string, lines = 8): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').filter((l) => l.trim()).slice(-lines).map((l) => `    ${l.slice(0, 300)}`).join('\n');
  } catch {
    return '    (no log yet)';
  }
}
