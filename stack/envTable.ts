/** `npm run docs`: rewrites the README's configuration table from common/config.ts. */
import fs from 'node:fs';
import path from 'node:path';
import { documentedSettings } from '../common/config';
import { REPO_ROOT } from './paths';

const HEADER = '| variable | default | meaning |\n|---|---|---|\n';

export function envTable(): string {
  return documentedSettings()
    .map((s) => `| \`${s.name}\` | ${s.default === '' ? '(unset)' : `\`${s.default}\``} | ${s.description} |`)
    .join('\n');
}

export function rewriteReadme(file = path.join(REPO_ROOT, 'README.md')): boolean {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(HEADER);
  if (start < 0) throw new Error(`${file} has no configuration table header`);
  const bodyStart = start + HEADER.length;
  const end = text.indexOf('\n\n', bodyStart);
  const next = `${text.slice(0, bodyStart)}${envTable()}${text.slice(end < 0 ? text.length : end)}`;
  if (next === text) return false;
  fs.writeFileSync(file, next);
  return true;
}
