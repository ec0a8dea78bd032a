/**
 * promtool (Prometheus' rule checker and rule unit-test runner) in the cache, never in the system.
 *
 * First choice: Debian's `prometheus` package, fetched with `apt-get download` (no root needed,
 * nothing installed) and unpacked with `dpkg-deb -x` into TODO_CACHE_DIR/tools/prometheus-<version>/;
 * promtool is `usr/bin/promtool` inside it. When apt has no package lists yet, `apt-get update` runs
 * once (only as root; otherwise the reason is said and the fallback is used). When apt is missing or
 * cannot give the package: `go install` of promtool from the Go module proxy (./goTool.ts).
 * Either way the next run finds it in the cache and fetches nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paths } from '../paths';
import { exec, which } from '../exec';
import { say, step, StepError } from '../progress';
import { goToolBin, goToolInstalled, installGoTool, type GoTool } from './goTool';

/** The fallback: Prometheus 3.x's module (tagged v0.3xx); its go.mod has no replace lines, so go install works. */
export const PROMTOOL_GO: GoTool = {
  name: 'promtool',
  pkg: 'github.com/prometheus/prometheus/cmd/promtool',
  version: 'v0.316.0',
  minGo: [1, 26, 7],
};

export interface Promtool {
  bin: string;
  /** How it got into the cache: "debian" (apt-get download) or "go" (go install). */
  source: 'debian' | 'go';
  version: string;
}

const toolsDir = (): string => path.join(paths.cache, 'tools');
const debBin = (dir: string): string => path.join(dir, 'usr', 'bin', 'promtool');

/** A promtool that runs: its first line of --version, or undefined. */
function runs(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).split('\n')[0];
  } catch {
    return undefined;
  }
}

/** What the cache already holds, Debian's first. */
export function cachedPromtool(): Promtool | undefined {
  const dir = toolsDir();
  if (fs.existsSync(dir)) {
    const debs = fs.readdirSync(dir).filter((d) => d.startsWith('prometheus-') && !d.endsWith('.partial')).sort().reverse();
    for (const d of debs) {
      const bin = debBin(path.join(dir, d));
      if (fs.existsSync(bin) && runs(bin)) return { bin, source: 'debian', version: d.slice('prometheus-'.length) };
    }
  }
  if (goToolInstalled(PROMTOOL_GO) && runs(goToolBin(PROMTOOL_GO))) return { bin: goToolBin(PROMTOOL_GO), source: 'go', version: PROMTOOL_GO.version };
  return undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Downloads and unpacks Debian's prometheus package into the cache; throws a StepError saying why it could not. */
async function fromDebian(): Promise<Promtool> {
  const name = 'promtool from Debian\'s prometheus package (apt-get download, dpkg-deb -x)';
  const log = paths.installLog('promtool');
  return step(name, async () => {
    const apt = which('apt-get');
    const dpkgDeb = which('dpkg-deb');
    if (!apt || !dpkgDeb) throw new StepError(name, 'apt-get or dpkg-deb is not on PATH (not a Debian-like system)', log);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-deb-'));
    try {
      try {
        await exec(apt, ['download', 'prometheus'], { step: name, log, cwd: tmp });
      } catch (err) {
        // A fresh container has no package lists: apt knows no "prometheus" until `apt-get update`.
        if (!isRoot()) throw new StepError(name, `apt-get download failed and apt-get update needs root: ${err instanceof StepError ? err.reason : String(err)}`, log);
        say('  apt-get download failed; updating the package lists once and trying again');
        await exec(apt, ['update'], { step: name, log });
        await exec(apt, ['download', 'prometheus'], { step: name, log, cwd: tmp });
      }
      const deb = fs.readdirSync(tmp).find((f) => f.startsWith('prometheus_') && f.endsWith('.deb'));
      if (!deb) throw new StepError(name, 'apt-get download gave no prometheus_*.deb', log);
      const version = execFileSync(dpkgDeb, ['-f', path.join(tmp, deb), 'Version'], { encoding: 'utf8' }).trim().replace(/[^A-Za-z0-9.+~-]/g, '_');
      const dir = path.join(toolsDir(), `prometheus-${version}`);
      const partial = `${dir}.partial`;
      fs.rmSync(partial, { recursive: true, force: true });
      fs.mkdirSync(partial, { recursive: true });
      await exec(dpkgDeb, ['-x', path.join(tmp, deb), partial], { step: name, log });
      const line = runs(debBin(partial));
      if (!line) throw new StepError(name, `the unpacked ${debBin(partial)} does not run`, log);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(partial, dir); // only a complete, working unpack is ever seen as installed
      fs.appendFileSync(log, `${line}\n`);
      return { bin: debBin(dir), source: 'debian' as const, version };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, log);
}

let found: Promise<Promtool> | undefined;

/** promtool from the cache, or fetched into it (Debian first, then go install); the same answer for the whole process. */
export function installPromtool(): Promise<Promtool> {
  found ??= (async () => {
    const cached = cachedPromtool();
    if (cached) return cached;
    try {
      return await fromDebian();
    } catch (err) {
      say(`  Debian's promtool is not available (${err instanceof StepError ? err.reason : String(err)}); building it with go install instead`);
      const bin = await installGoTool(PROMTOOL_GO);
      return { bin, source: 'go' as const, version: PROMTOOL_GO.version };
    }
  })();
  found.catch(() => {
    found = undefined; // a failed install is tried again by the next caller
  });
  return found;
}
