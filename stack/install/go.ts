/**
 * The Go toolchain as the install scripts use it: module and build caches inside the stack's cache,
 * the machine's own Go (no toolchain download), static binaries.
 */
import { execFileSync } from 'node:child_process';
import { paths } from '../paths';
import { which } from '../exec';
import { StepError } from '../progress';

export function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: paths.goModCache,
    GOCACHE: paths.goBuildCache,
    GOFLAGS: '-buildvcs=false -mod=mod',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
}

/** The go binary, checked to be at least `min` (e.g. [1, 26, 5]); a StepError naming `stepName` otherwise. */
export function checkGo(stepName: string, min: number[], why: string): string {
  const go = which('go', ['/usr/local/go/bin']);
  if (!go) throw new StepError(stepName, `Go is not installed (${why} needs Go ${min.join('.')} or newer on PATH)`);
  const v = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim(); // e.g. go1.26.8
  const parts = v.replace(/^go/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) > min[i]) break;
    if ((parts[i] ?? 0) < min[i]) throw new StepError(stepName, `${why} needs Go ${min.join('.')} or newer; found ${v}`);
  }
  return go;
}
