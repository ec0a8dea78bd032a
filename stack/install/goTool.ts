/**
 * Command-line tools built with `go install module/cmd@version` from the Go module proxy into the
 * cache (TODO_CACHE_DIR/tools/<name>-<version>/bin), reused by the next run: helm, tflint,
 * actionlint, k6. Nothing is fetched from anywhere but the proxy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../paths';
import { exec } from '../exec';
import { step, StepError } from '../progress';
import { checkGo, goEnv } from './go';

export interface GoTool {
  /** Short name, also the binary's name, e.g. "helm". */
  name: string;
  /** The package to install, without the version, e.g. "helm.sh/helm/v3/cmd/helm". */
  pkg: string;
  /** The module version, e.g. "v3.19.0". */
  version: string;
  /** Oldest Go that builds it. */
  minGo?: number[];
  /** Extra -ldflags, e.g. to stamp the version the tool prints. */
  ldflags?: string;
  /** Build tags, if the tool needs any. */
  tags?: string[];
}

export function goToolDir(t: GoTool): string {
  return path.join(paths.cache, 'tools', `${t.name}-${t.version}`);
}

export function goToolBin(t: GoTool): string {
  return path.join(goToolDir(t), 'bin', t.name);
}

export function goToolInstalled(t: GoTool): boolean {
  return fs.existsSync(goToolBin(t));
}

/** Builds the tool if the cache does not have it yet; answers the binary's path. */
export async function installGoTool(t: GoTool): Promise<string> {
  if (goToolInstalled(t)) return goToolBin(t);
  const name = `building ${t.name} ${t.version} from the Go module proxy`;
  const log = paths.installLog(t.name);
  await step(name, async (h) => {
    const go = checkGo(name, t.minGo ?? [1, 22], `${t.name} ${t.version}`);
    const binDir = path.join(goToolDir(t), 'bin');
    const tmpDir = `${binDir}.partial`;
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir, { recursive: true });
    let downloaded = 0;
    let built = 0;
    const args = ['install', '-v', '-trimpath', '-ldflags', `-s -w ${t.ldflags ?? ''}`.trim()];
    if (t.tags?.length) args.push('-tags', t.tags.join(','));
    await exec(go, [...args, `${t.pkg}@${t.version}`], {
      step: name, log, env: { ...goEnv(), GOBIN: tmpDir },
      onLine: (l) => {
        if (l.startsWith('go: downloading')) h.progress(`downloading modules: ${++downloaded}`);
        else if (!l.startsWith('go:') && !l.includes(' ')) h.progress(`compiling: ${++built} packages`);
      },
    });
    if (!fs.existsSync(path.join(tmpDir, t.name))) throw new StepError(name, `go install produced no ${t.name} binary`, log);
    fs.rmSync(binDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, binDir); // only a complete build is ever seen as installed
  }, log);
  return goToolBin(t);
}
