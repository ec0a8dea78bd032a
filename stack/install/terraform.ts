/**
 * The terraform binary for `terraform fmt`: the one on PATH if there is one, otherwise Terraform
 * 1.11.4 built from the Go module proxy into the cache (TODO_CACHE_DIR/tools/terraform-v1.11.4).
 *
 * `go install github.com/hashicorp/terraform@v1.11.4` is refused: terraform's go.mod replaces nine
 * of its own nested modules (internal/backend/remote-state/*, internal/legacy) with local
 * directories, and a module zip leaves nested modules out. The proxy serves each of those nested
 * modules at the pseudo-version of the commit tagged v1.11.4 (2025-04-09 13:10:05, 35645b8fca68),
 * so we download the root module and the nine, put them back together in a writable directory in
 * the cache, and build there, where terraform's own go.mod and replace lines apply.
 * Why 1.11.4: it is the newest release whose nested modules the proxy serves at its own commit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { paths } from '../paths';
import { exec, which } from '../exec';
import { step, StepError } from '../progress';
import { checkGo, goEnv } from './go';

export const TERRAFORM_MODULE = 'github.com/hashicorp/terraform';
export const TERRAFORM_VERSION = 'v1.11.4';
/** The pseudo-version of the nested modules at the commit tagged TERRAFORM_VERSION. */
const NESTED_VERSION = 'v0.0.0-20250409131005-35645b8fca68';
const NESTED = [
  ...['azure', 'consul', 'cos', 'gcs', 'kubernetes', 'oss', 'pg', 's3'].map((b) => `internal/backend/remote-state/${b}`),
  'internal/legacy',
];

const toolDir = () => path.join(paths.cache, 'tools', `terraform-${TERRAFORM_VERSION}`);
export const builtTerraform = () => path.join(toolDir(), 'bin', 'terraform');

/** The terraform to run: the one on PATH, else the cached build, else none. */
export function findTerraform(): string | undefined {
  const onPath = which('terraform');
  if (onPath) return onPath;
  return fs.existsSync(builtTerraform()) ? builtTerraform() : undefined;
}

/** Answers a terraform binary, building it from the Go module proxy the first time none is found. */
export async function installTerraform(opts: { ignorePath?: boolean } = {}): Promise<string> {
  const found = opts.ignorePath ? (fs.existsSync(builtTerraform()) ? builtTerraform() : undefined) : findTerraform();
  if (found) return found;
  const name = `building terraform ${TERRAFORM_VERSION} from the Go module proxy`;
  const log = paths.installLog('terraform');
  await step(name, async (h) => {
    const go = checkGo(name, [1, 23, 3], `terraform ${TERRAFORM_VERSION}`);
    const env = goEnv();
    const src = path.join(toolDir(), 'src');
    fs.rmSync(toolDir(), { recursive: true, force: true });
    fs.mkdirSync(src, { recursive: true });

    const download = async (mod: string): Promise<string> => {
      h.progress(`downloading ${mod}`);
      let json = '';
      await exec(go, ['mod', 'download', '-json', mod], { step: name, log, env, onLine: (l) => (json += `${l}\n`) });
      const dir = (JSON.parse(json) as { Dir?: string }).Dir;
      if (!dir) throw new StepError(name, `go mod download gave no directory for ${mod}`, log);
      return dir;
    };
    fs.cpSync(await download(`${TERRAFORM_MODULE}@${TERRAFORM_VERSION}`), src, { recursive: true });
    for (const sub of NESTED) {
      fs.cpSync(await download(`${TERRAFORM_MODULE}/${sub}@${NESTED_VERSION}`), path.join(src, sub), { recursive: true });
    }
    execFileSync('chmod', ['-R', 'u+w', src]);
    // `godebug tlskyber=0` names a setting Go 1.26 no longer knows, and go refuses the whole go.mod
    // for it. It only tuned TLS key exchange for S3 state backends; terraform fmt never opens a socket.
    const goMod = path.join(src, 'go.mod');
    fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace(/^godebug tlskyber=0\s*$/m, ''));

    let downloaded = 0;
    let deps = 0;
    h.progress('resolving and downloading dependencies');
    await exec(go, ['list', '-deps', '.'], {
      step: name, log, env, cwd: src,
      onLine: (l) => (l.startsWith('go: downloading') ? h.progress(`downloading modules: ${++downloaded}`) : deps++),
    });
    let built = 0;
    const partial = path.join(toolDir(), 'bin.partial');
    await exec(go, ['build', '-v', '-trimpath', '-ldflags', '-s -w -X github.com/hashicorp/terraform/version.dev=no', '-o', path.join(partial, 'terraform'), '.'], {
      step: name, log, env, cwd: src,
      onLine: (l) => {
        if (!l.startsWith('go:') && !l.includes(' ')) h.progress(`compiling ${++built}/${deps} packages`);
      },
    });
    fs.renameSync(partial, path.dirname(builtTerraform())); // only a complete build is ever seen as installed
    fs.rmSync(src, { recursive: true, force: true });
  }, log);
  return builtTerraform();
}
