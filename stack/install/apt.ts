/** Debian packages through apt-get, as root or through `sudo -n`, with progress from apt's own lines. */
import { exec, which } from '../exec';
import { StepError, type StepHandle } from '../progress';

/**
 * Installs Debian packages (apt-get update, then install --no-install-recommends). Waits up to
 * 10 minutes for the dpkg lock (another apt-get on the machine) instead of failing at once.
 */
export async function aptInstall(step: string, packages: string[], log: string, h: StepHandle, manualHint: string): Promise<void> {
  const apt = which('apt-get');
  if (!apt) throw new StepError(step, `apt-get is not available; ${manualHint}`);
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !which('sudo')) throw new StepError(step, `not root and no sudo; ${manualHint}`);
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const run = (args: string[]) => exec(asRoot ? apt : 'sudo', asRoot ? [...lock, ...args] : ['-n', apt, ...lock, ...args], {
    step, log, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    onLine: (l) => {
      if (/^(Get|Unpacking|Setting up|Waiting for cache lock)/.test(l)) h.progress(l.slice(0, 80));
    },
  });
  await run(['update', '-q']);
  await run(['install', '-y', '-q', '--no-install-recommends', ...packages]);
}
