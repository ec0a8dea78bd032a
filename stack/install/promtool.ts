/**
 * promtool (Prometheus' rule checker and rule unit-test runner) in the cache, never in the system.
 *
 * First choice: Debian's `prometheus` package, fetched with `apt-get download` (no root needed,
 * nothing installed) and unpacked with `dpkg-deb -x` into TODO_CACHE_DIR/tools/prometheus-<version>/
 * (./debianPackage.ts); promtool is `usr/bin/promtool` inside it, beside the Prometheus server the
 * local stack runs (./monitoring.ts). When apt is missing or
 * cannot give the package: `go install` of promtool from the Go module proxy (./goTool.ts).
 * Either way the next run finds it in the cache and fetches nothing.
 */
import path from 'node:path';
import { say, StepError } from '../progress';
import { cachedDebianPackage, runs, unpackDebianPackage } from './debianPackage';
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

const debBin = path.join('usr', 'bin', 'promtool');

/** What the cache already holds, Debian's first. */
export function cachedPromtool(): Promtool | undefined {
  const deb = cachedDebianPackage('prometheus', debBin);
  if (deb) return { bin: path.join(deb.dir, debBin), source: 'debian', version: deb.version };
  if (goToolInstalled(PROMTOOL_GO) && runs(goToolBin(PROMTOOL_GO))) return { bin: goToolBin(PROMTOOL_GO), source: 'go', version: PROMTOOL_GO.version };
  return undefined;
}

/** Downloads and unpacks Debian's prometheus package into the cache; throws a StepError saying why it could not. */
async function fromDebian(): Promise<Promtool> {
  const deb = await unpackDebianPackage('prometheus', debBin, 'promtool', 'promtool');
  return { bin: path.join(deb.dir, debBin), source: 'debian', version: deb.version };
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
