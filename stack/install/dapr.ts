/**
 * Builds Dapr's daprd, placement and scheduler from the github.com/dapr/dapr Go module, through the
 * Go module proxy, into the cache. `go install module@version` refuses modules whose go.mod has
 * replace lines (dapr's has), so we copy the module's source out of the module cache into a
 * writable directory and build there, where its own go.mod and replace lines apply.
 *
 * Why 1.18.2: the proxy answers 403 for github.com/dapr/durabletask-go v0.12.4, which 1.18.3 needs;
 * 1.18.2 pins a durabletask-go pseudo-version that the proxy serves.
 *
 * The default build is "slim": daprd with only the components this project uses (PostgreSQL state,
 * Kafka pub/sub, local env/file secret stores), made by removing the other stable components'
 * registration files before building with the stablecomponents tag. TODO_DAPR_BUILD=stable builds
 * every stable component instead (much slower; see README for the measured times).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { checkGo, goEnv } from './go';
import { config } from '../../common/config';
import { DAPR_VERSION, paths } from '../paths';
import { exec } from '../exec';
import { step, StepError } from '../progress';

export const DAPR_MODULE = 'github.com/dapr/dapr';
/** Registration files of cmd/daprd/components kept by the slim build. */
/**
 * Service invocation needs a name resolver. Self-hosted Dapr defaults to mDNS, which multicasts on
 * the network; the local stack uses the SQLite resolver instead (all sidecars share one database
 * file, see components/config.yaml). Dapr tags it `allcomponents` only, so our build copy adds
 * `stablecomponents` to its build line.
 */
const NAME_RESOLVER = 'nameresolution_sqlite.go';
export const SLIM_COMPONENTS = ['state_postgres.go', 'pubsub_kafka.go', 'secretstores_local_env.go', 'secretstores_local_file.go', NAME_RESOLVER];
const MIN_GO = [1, 26, 5];

type Flavour = 'slim' | 'stable';

function flavour(): Flavour {
  const f = config.daprBuild;
  if (f !== 'slim' && f !== 'stable') throw new StepError('building Dapr', `TODO_DAPR_BUILD must be slim or stable, not ${f}`);
  return f;
}

function componentsOf(kind: Flavour): string[] {
  return kind === 'slim' ? SLIM_COMPONENTS : ['stablecomponents', NAME_RESOLVER];
}

function markerFile(): string {
  return path.join(paths.daprDir, 'build.json');
}

export function daprInstalled(): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile(), 'utf8')) as { version: string; flavour: Flavour; components: string[] };
    return m.version === DAPR_VERSION && m.flavour === flavour() && JSON.stringify(m.components) === JSON.stringify(componentsOf(flavour()))
      && (['daprd', 'placement', 'scheduler'] as const).every((b) => fs.existsSync(paths.daprBin(b)));
  } catch {
    return false;
  }
}

function sentryMarker(): string {
  return path.join(paths.daprDir, 'sentry.json');
}

export function sentryInstalled(): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(sentryMarker(), 'utf8')) as { version: string };
    return m.version === DAPR_VERSION && fs.existsSync(paths.daprBin('sentry'));
  } catch {
    return false;
  }
}

/** A writable copy of the Dapr module's source (go mod download, then copied out of the module cache). */
async function daprSource(name: string, dest: string, log: string, progress: (d: string) => void): Promise<void> {
  const go = checkGo(name, MIN_GO, `Dapr ${DAPR_VERSION}`);
  progress(`downloading ${DAPR_MODULE}@v${DAPR_VERSION}`);
  let json = '';
  await exec(go, ['mod', 'download', '-json', `${DAPR_MODULE}@v${DAPR_VERSION}`], { step: name, log, env: goEnv(), onLine: (l) => (json += `${l}\n`) });
  const dir = (JSON.parse(json) as { Dir?: string; Error?: string }).Dir;
  if (!dir) throw new StepError(name, `go mod download did not give a directory for ${DAPR_MODULE}@v${DAPR_VERSION}`, log);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(dir, dest, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dest]);
}

/**
 * Dapr's sentry (the certificate authority that gives each sidecar its mTLS identity), built from
 * the same module and version as daprd, into the same bin directory, with a marker of its own: so
 * it is added to a cache whose daprd, placement and scheduler are built already, without
 * rebuilding them (the Go build cache has most of its packages from that build).
 */
export async function installSentry(): Promise<void> {
  if (sentryInstalled()) return;
  const name = `building Dapr ${DAPR_VERSION} sentry from the Go module proxy`;
  const log = paths.installLog('dapr-sentry');
  await step(name, async (h) => {
    const go = checkGo(name, MIN_GO, `Dapr ${DAPR_VERSION}`);
    const env = goEnv();
    const src = path.join(paths.daprDir, `sentry-src-${process.pid}`);
    fs.mkdirSync(path.join(paths.daprDir, 'bin'), { recursive: true });
    await daprSource(name, src, log, h.progress);
    let deps = 0;
    h.progress('resolving dependencies');
    await exec(go, ['list', '-deps', './cmd/sentry'], { step: name, log, env, cwd: src, onLine: () => void deps++ });
    let built = 0;
    h.progress(`compiling 0/${deps} packages (most come from the Go build cache)`);
    const tmpBin = path.join(paths.daprDir, 'bin', `sentry.${process.pid}`);
    await exec(go, ['build', '-v', '-trimpath', '-ldflags', `-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION}`, '-o', tmpBin, './cmd/sentry'], {
      step: name, log, env, cwd: src,
      onLine: (l) => {
        if (!l.startsWith('go:') && !l.includes(' ')) h.progress(`compiling ${++built}/${deps} packages`);
      },
    });
    fs.renameSync(tmpBin, paths.daprBin('sentry'));
    fs.rmSync(src, { recursive: true, force: true });
    fs.writeFileSync(sentryMarker(), JSON.stringify({ version: DAPR_VERSION, builtAt: new Date().toISOString() }, null, 2));
  }, log);
}

export async function installDapr(): Promise<void> {
  if (daprInstalled()) return;
  const kind = flavour();
  const name = `building Dapr ${DAPR_VERSION} (${kind}: daprd, placement, scheduler) from the Go module proxy`;
  const log = paths.installLog('dapr');
  await step(name, async (h) => {
    const go = checkGo(name, MIN_GO, `Dapr ${DAPR_VERSION}`);
    const env = goEnv();
    const src = path.join(paths.daprDir, 'src');
    fs.rmSync(paths.daprDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(paths.daprDir, 'bin'), { recursive: true });

    h.progress(`downloading ${DAPR_MODULE}@v${DAPR_VERSION}`);
    let json = '';
    await exec(go, ['mod', 'download', '-json', `${DAPR_MODULE}@v${DAPR_VERSION}`], { step: name, log, env, onLine: (l) => (json += `${l}\n`) });
    const dir = (JSON.parse(json) as { Dir?: string; Error?: string }).Dir;
    if (!dir) throw new StepError(name, `go mod download did not give a directory for ${DAPR_MODULE}@v${DAPR_VERSION}`, log);
    fs.cpSync(dir, src, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', src]);

    const compDir = path.join(src, 'cmd', 'daprd', 'components');
    const resolver = path.join(compDir, NAME_RESOLVER);
    const code = fs.readFileSync(resolver, 'utf8');
    fs.writeFileSync(resolver, code.replace(/^\/\/go:build allcomponents\s*$/m, '//go:build allcomponents || stablecomponents'));
    if (kind === 'slim') {
      for (const f of fs.readdirSync(compDir)) {
        const first = fs.readFileSync(path.join(compDir, f), 'utf8').split('\n', 1)[0];
        if (/\bstablecomponents\b/.test(first) && !SLIM_COMPONENTS.includes(f)) fs.rmSync(path.join(compDir, f));
      }
    }

    const targets = ['./cmd/daprd', './cmd/placement', './cmd/scheduler'];
    const tags = ['-tags', 'stablecomponents'];
    let downloaded = 0;
    h.progress('resolving and downloading dependencies');
    let deps = 0;
    await exec(go, ['list', ...tags, '-deps', ...targets], {
      step: name, log, env, cwd: src,
      onLine: (l) => {
        if (l.startsWith('go: downloading')) h.progress(`downloading modules: ${++downloaded}`);
        else deps++;
      },
    });
    let built = 0;
    h.progress(`compiling 0/${deps} packages`);
    await exec(go, ['build', '-v', ...tags, '-trimpath', '-ldflags', `-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION}`,
      '-o', `${path.join(paths.daprDir, 'bin')}/`, ...targets], {
      step: name, log, env, cwd: src,
      onLine: (l) => {
        if (!l.startsWith('go:') && !l.includes(' ')) h.progress(`compiling ${++built}/${deps} packages`);
      },
    });
    fs.rmSync(src, { recursive: true, force: true });
    fs.writeFileSync(markerFile(), JSON.stringify({ version: DAPR_VERSION, flavour: kind, components: componentsOf(kind), builtAt: new Date().toISOString() }, null, 2));
  }, log);
}
