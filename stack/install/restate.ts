/**
 * The Restate server of the peer bench (`npm run bench -- --peer`), from the npm package
 * @restatedev/restate-server (its linux-x64 binary comes in the optional dependency
 * @restatedev/restate-server-linux-x64), installed on first use with
 * `npm install --prefix $TODO_CACHE_DIR/tools/restate-server-<version>` and reused; it is not
 * a dependency of the project, so `npm ci` never fetches it. Install scripts are skipped
 * (--ignore-scripts): the package's only one is @scarf/scarf's download analytics, which would call
 * out to the internet.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paths } from '../paths';
import { exec } from '../exec';
import { step, StepError } from '../progress';

export const RESTATE_SERVER_VERSION = '1.7.12';

export function restateServerDir(): string {
  return path.join(paths.cache, 'tools', `restate-server-${RESTATE_SERVER_VERSION}`);
}

export function restateServerBin(dir = restateServerDir()): string {
  return path.join(dir, 'node_modules', '@restatedev', `restate-server-${os.platform()}-${os.arch()}`, 'bin', 'restate-server');
}

/** Installs the Restate server into the cache if it is not there yet; answers the binary's path. */
export async function installRestateServer(): Promise<string> {
  const dir = restateServerDir();
  if (fs.existsSync(restateServerBin(dir))) return restateServerBin(dir);
  const name = `installing the Restate server ${RESTATE_SERVER_VERSION} from npm (peer bench)`;
  const log = paths.installLog('restate-server');
  await step(name, async (h) => {
    const tmp = `${dir}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    let fetched = 0;
    await exec('npm', ['install', '--prefix', tmp, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'http', `@restatedev/restate-server@${RESTATE_SERVER_VERSION}`], {
      step: name, log, env: { ...process.env, SCARF_ANALYTICS: 'false' },
      onLine: (l) => {
        if (/npm http fetch/.test(l)) h.progress(`fetched ${++fetched} files`);
      },
    });
    if (!fs.existsSync(restateServerBin(tmp))) throw new StepError(name, `npm installed no restate-server binary for ${os.platform()}-${os.arch()}`, log);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir); // only a complete install is ever seen as installed
  }, log);
  return restateServerBin(dir);
}
