/** Runs an install command to completion, its output appended to a log file, lines counted for progress. */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StepError } from './progress';

export interface ExecOptions extends SpawnOptions {
  step: string;
  log: string;
  /** Called with every output line, e.g. to count compiled packages. */
  onLine?: (line: string) => void;
}

export function exec(cmd: string, args: string[], opts: ExecOptions): Promise<void> {
  fs.mkdirSync(path.dirname(opts.log), { recursive: true });
  const out = fs.createWriteStream(opts.log, { flags: 'a' });
  out.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail: string[] = [];
    const onData = (buf: Buffer) => {
      out.write(buf);
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail = [...tail.slice(-4), line];
        opts.onLine?.(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (err) => {
      out.end();
      reject(new StepError(opts.step, `could not run ${cmd}: ${err.message}`, opts.log));
    });
    child.on('close', (code, signal) => {
      out.end();
      if (code === 0) resolve();
      else reject(new StepError(opts.step, `${path.basename(cmd)} exited with ${code ?? signal}; last lines:\n    ${tail.join('\n    ')}`, opts.log));
    });
  });
}

/** The first directory on PATH (or in extra) that holds an executable of this name. */
export function which(name: string, extra: string[] = []): string | undefined {
  for (const dir of [...extra, ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}
