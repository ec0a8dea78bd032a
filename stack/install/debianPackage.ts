/**
 * A Debian package's files in the cache, never in the system: `apt-get download` (no root needed,
 * nothing installed) and `dpkg-deb -x` into TODO_CACHE_DIR/tools/<package>-<version>/. When apt has
 * no package lists yet, `apt-get update` runs once (only as root; otherwise the reason is said).
 * Only a complete unpack whose program runs is ever seen as installed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paths } from '../paths';
import { exec, which } from '../exec';
import { say, step, StepError } from '../progress';

export const toolsDir = (): string => path.join(paths.cache, 'tools');

/** The first line a program prints for `args` (`--version`), or undefined if it does not run. */
export function runs(bin: string, args: string[] = ['--version']): string | undefined {
  try {
    const r = execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return r.split('\n')[0] || 'ok';
  } catch (err) {
    // Some print their version on stderr; a zero exit is what counts.
    const e = err as { status?: number; stderr?: string };
    return e.status === 0 ? (e.stderr ?? 'ok').split('\n')[0] : undefined;
  }
}

export interface UnpackedPackage {
  dir: string;
  version: string;
}

/** The newest unpack of `pkg` in the cache whose `bin` (relative to the unpack) runs. */
export function cachedDebianPackage(pkg: string, bin: string): UnpackedPackage | undefined {
  const dir = toolsDir();
  if (!fs.existsSync(dir)) return undefined;
  const prefix = `${pkg}-`;
  const found = fs.readdirSync(dir)
    .filter((d) => d.startsWith(prefix) && /^\d/.test(d.slice(prefix.length)) && !d.endsWith('.partial'))
    .sort().reverse();
  for (const d of found) {
    if (fs.existsSync(path.join(dir, d, bin)) && runs(path.join(dir, d, bin))) return { dir: path.join(dir, d), version: d.slice(prefix.length) };
  }
  return undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Downloads and unpacks `pkg`; throws a StepError saying why it could not. */
export async function unpackDebianPackage(pkg: string, bin: string, what: string, logName: string): Promise<UnpackedPackage> {
  const name = `${what} from Debian's ${pkg} package (apt-get download, dpkg-deb -x)`;
  const log = paths.installLog(logName);
  return step(name, async (h) => {
    const apt = which('apt-get');
    const dpkgDeb = which('dpkg-deb');
    if (!apt || !dpkgDeb) throw new StepError(name, 'apt-get or dpkg-deb is not on PATH (not a Debian-like system)', log);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${pkg}-deb-`));
    const size = setInterval(() => {
      const bytes = fs.readdirSync(tmp).reduce((s, f) => s + (fs.statSync(path.join(tmp, f), { throwIfNoEntry: false })?.size ?? 0), 0);
      if (bytes) h.progress(`${(bytes / 1e6).toFixed(1)} MB downloaded`);
    }, 1000);
    try {
      try {
        await exec(apt, ['download', pkg], { step: name, log, cwd: tmp });
      } catch (err) {
        // A fresh container has no package lists: apt knows no such package until `apt-get update`.
        if (!isRoot()) throw new StepError(name, `apt-get download failed and apt-get update needs root: ${err instanceof StepError ? err.reason : String(err)}`, log);
        say('  apt-get download failed; updating the package lists once and trying again');
        h.progress('apt-get update');
        await exec(apt, ['update'], { step: name, log });
        await exec(apt, ['download', pkg], { step: name, log, cwd: tmp });
      }
      const deb = fs.readdirSync(tmp).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (!deb) throw new StepError(name, `apt-get download gave no ${pkg}_*.deb`, log);
      const version = execFileSync(dpkgDeb, ['-f', path.join(tmp, deb), 'Version'], { encoding: 'utf8' }).trim().replace(/[^A-Za-z0-9.+~-]/g, '_');
      const dir = path.join(toolsDir(), `${pkg}-${version}`);
      const partial = `${dir}.partial`;
      fs.rmSync(partial, { recursive: true, force: true });
      fs.mkdirSync(partial, { recursive: true });
      h.progress('unpacking');
      await exec(dpkgDeb, ['-x', path.join(tmp, deb), partial], { step: name, log });
      const line = runs(path.join(partial, bin));
      if (!line) throw new StepError(name, `the unpacked ${path.join(partial, bin)} does not run`, log);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(partial, dir);
      fs.appendFileSync(log, `${line}\n`);
      return { dir, version };
    } finally {
      clearInterval(size);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, log);
}
