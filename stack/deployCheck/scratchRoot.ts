/** For deploy-check tests: a scratch copy of some of the repository's files, to break on purpose. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckContext } from './check';
import { REPO_ROOT } from '../paths';

export interface ScratchRoot extends CheckContext {
  /** Rewrites a file of the copy (path relative to its root). */
  edit(file: string, change: (text: string) => string): void;
  write(file: string, text: string): void;
  remove(): void;
}

export function scratchRoot(parts: string[]): ScratchRoot {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'deploycheck-'));
  const root = path.join(base, 'repo');
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  for (const p of parts) fs.cpSync(path.join(REPO_ROOT, p), path.join(root, p), { recursive: true });
  return {
    root,
    tmp,
    edit: (file, change) => {
      const f = path.join(root, file);
      const before = fs.readFileSync(f, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing`);
      fs.writeFileSync(f, after);
    },
    write: (file, text) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    },
    remove: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}
