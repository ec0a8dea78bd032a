/**
 * The one writer of loadtest/RESULTS.md. Every bench and the suite own sections of it between
 * `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`; a run rewrites only its own sections
 * and leaves the prose around them as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../stack/paths';

export const RESULTS_MD = path.join(REPO_ROOT, 'loadtest', 'RESULTS.md');

/** The text with the section NAME's body replaced, or the section appended under `## heading`. */
export function withSection(text: string, name: string, heading: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  return a >= 0 && b > a ? `${text.slice(0, a)}${block}${text.slice(b + end.length)}` : `${text.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
}

/** Replaces the text between `<!-- bench:NAME:start -->` and its end marker in RESULTS.md, or appends a section. */
export function replaceSection(name: string, heading: string, body: string): void {
  const text = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '# Measured results\n';
  fs.writeFileSync(RESULTS_MD, withSection(text, name, heading, body));
}
