/** Runs the cached promtool (stack/install/promtool.ts) and hands back its exit code and output, never throwing on a non-zero exit. */
import { execFile } from 'node:child_process';
import { installPromtool } from '../install/promtool';

export interface PromtoolResult {
  code: number;
  /** stdout and stderr together, in that order. */
  output: string;
}

export async function runPromtool(args: string[], cwd: string): Promise<PromtoolResult> {
  const { bin } = await installPromtool();
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const exitCode = (err as { code?: unknown } | null)?.code;
      if (!err) resolve({ code: 0, output });
      else if (typeof exitCode === 'number') resolve({ code: exitCode, output });
      else reject(new Error(`promtool ${args.slice(0, 2).join(' ')} could not run (${err.message}); output: ${output.slice(0, 500)}`));
    });
  });
}
