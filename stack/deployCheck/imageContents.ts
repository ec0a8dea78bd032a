/**
 * The container images (the root Dockerfile) hold, per service, only dist/common, that service's
 * dist folder and package.json's production dependencies (`npm ci --omit=dev`). This check proves
 * that is enough, without Docker: from the entry point each target's CMD names, it follows every
 * `require` of the compiled code and reports one that leaves the folders the target copies, or that
 * names a package which is a devDependency (absent from the image) or not in package.json at all.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { REPO_ROOT } from '../paths';

/** The Dockerfile target of each service image. */
export const IMAGE_TARGETS = ['actors', 'gateway', 'subscribers'] as const;

interface Stage {
  name: string;
  base: string;
  /** Folders under dist/ that the stage copies from the build stage, e.g. "common". */
  copies: string[];
  /** The script of the stage's CMD, e.g. "dist/actors/main.js". */
  entry?: string;
}

/** The stages of a Dockerfile, with what each copies of dist/ and runs. */
export function parseStages(dockerfile: string): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  const text = dockerfile.replace(/\\\r?\n/g, ' ');
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = { name: from[2] ?? `#${stages.size}`, base: from[1], copies: [] };
      stages.set(current.name, current);
      continue;
    }
    if (!current) continue;
    const copy = /^COPY\s+.*--from=\S+\s+\S*\/dist\/([\w.-]+)\/?\s+\S+$/i.exec(line);
    if (copy) current.copies.push(copy[1]);
    const cmd = /^CMD\s+(\[.*\])\s*$/i.exec(line);
    if (cmd) {
      try {
        const argv = JSON.parse(cmd[1]) as string[];
        current.entry = argv.find((a) => /^dist\/.+\.js$/.test(a));
      } catch {
        current.entry = undefined;
      }
    }
  }
  return stages;
}

/** What a target's image holds: its own copies and those of the stages it is built FROM. */
function imageOf(stages: Map<string, Stage>, target: string): { copies: string[]; entry?: string } {
  const copies: string[] = [];
  let entry: string | undefined;
  const seen = new Set<string>();
  for (let s = stages.get(target); s && !seen.has(s.name); s = stages.get(s.base)) {
    seen.add(s.name);
    copies.push(...s.copies);
    entry ??= s.entry;
  }
  return { copies, entry };
}

const REQUIRE = /\brequire\(\s*(["'])([^"']+)\1\s*\)/g;
const builtins = new Set(builtinModules);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The file Node would load for a relative require, or undefined. */
function resolveFile(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Checks the Dockerfile and package.json at `root` against the compiled code in root/dist, or, when
 * root has none (a scratch copy of the sources in a test), against this checkout's compiled code.
 */
export function checkImages(root: string): Defect[] {
  const compiled = fs.existsSync(path.join(root, 'dist')) ? root : REPO_ROOT;
  const dockerfilePath = path.join(root, 'Dockerfile');
  if (!fs.existsSync(dockerfilePath)) return [{ where: 'Dockerfile', message: 'missing' }];
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const devDeps = new Set(Object.keys(pkg.devDependencies ?? {}));
  const stages = parseStages(fs.readFileSync(dockerfilePath, 'utf8'));
  const rel = (p: string) => path.relative(compiled, p).split(path.sep).join('/');
  const defects: Defect[] = [];
  const reported = new Set<string>();
  const report = (d: Defect) => {
    const key = `${d.where}|${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    defects.push(d);
  };

  for (const target of IMAGE_TARGETS) {
    if (!stages.has(target)) {
      report({ where: 'Dockerfile', message: `no stage named ${target} (docker build --target ${target})` });
      continue;
    }
    const { copies, entry } = imageOf(stages, target);
    if (!entry) {
      report({ where: 'Dockerfile', message: `the ${target} target has no CMD ["node", ..., "dist/.../main.js"]` });
      continue;
    }
    const inImage = (file: string) => copies.some((c) => rel(file).startsWith(`dist/${c}/`));
    const start = path.join(compiled, entry);
    if (!fs.existsSync(start)) {
      report({ where: 'Dockerfile', message: `the ${target} target runs ${entry}, which does not exist (is the code compiled? npx tsc -b)` });
      continue;
    }
    if (!inImage(start)) report({ where: 'Dockerfile', message: `the ${target} target runs ${entry} but copies only ${copies.map((c) => `dist/${c}`).join(', ')}` });
    const queue = [start];
    const visited = new Set<string>(queue);
    while (queue.length) {
      const file = queue.pop() as string;
      if (!file.endsWith('.js')) continue;
      const code = fs.readFileSync(file, 'utf8');
      for (const m of code.matchAll(REQUIRE)) {
        const spec = m[2];
        if (spec.startsWith('.')) {
          const resolved = resolveFile(file, spec);
          if (!resolved) {
            report({ where: rel(file), message: `requires ${spec}, which does not exist` });
          } else if (!inImage(resolved)) {
            report({ where: rel(file), message: `requires ${rel(resolved)}, which the ${target} image does not contain (it copies ${copies.map((c) => `dist/${c}`).join(', ')})` });
          } else if (!visited.has(resolved)) {
            visited.add(resolved);
            queue.push(resolved);
          }
          continue;
        }
        if (spec.startsWith('node:') || builtins.has(spec)) continue;
        const name = packageName(spec);
        if (deps.has(name)) continue;
        report({
          where: rel(file),
          message: devDeps.has(name)
            ? `requires ${name} at run time, but it is a devDependency: the ${target} image (npm ci --omit=dev) does not have it; move it to dependencies`
            : `requires ${name}, which package.json does not list in dependencies`,
        });
      }
    }
  }
  return defects;
}

export const imageContents: DeployCheck = {
  name: 'container images: what each service requires at run time is in its image',
  run: async (ctx) => checkImages(ctx.root),
};
