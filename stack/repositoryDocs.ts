/**
 * What the repository's documents point at must be in the repository: every relative link of
 * every tracked Markdown file, and every repository path a comment names. Pure functions over
 * text, so the unit test (repositoryDocs.test.ts) can run them on the tracked files and on
 * examples alike.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Broken {
  /** file:line */
  where: string;
  target: string;
  why: string;
}

/** Markdown text without its fenced code blocks and (unless kept) its inline code spans: links there are examples, not links. */
function withoutCode(text: string, keepInline = false): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const m = /^\s*(`{3,}|~{3,})/.exec(line);
      if (m) {
        if (fence === undefined) fence = m[1][0];
        else if (m[1][0] === fence) fence = undefined;
        return '';
      }
      if (fence !== undefined) return '';
      return keepInline ? line : line.replace(/`+[^`]*`+/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

/** The link targets of a Markdown text with their line numbers: inline links and images, and reference definitions. */
export function markdownLinks(text: string): Array<{ line: number; target: string }> {
  const out: Array<{ line: number; target: string }> = [];
  withoutCode(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ line: i + 1, target: m[1] });
      const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
      if (ref) out.push({ line: i + 1, target: ref[1] });
    });
  return out;
}

/** GitHub's anchors of a Markdown text's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(text, true).split('\n')) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** The relative links of one Markdown file (repository-relative path) that do not resolve: no such file, or no such heading. */
export function brokenLinks(root: string, file: string): Broken[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const out: Broken[] = [];
  for (const { line, target } of markdownLinks(text)) {
    if (EXTERNAL.test(target)) continue;
    const [rawPath, anchor] = target.split('#', 2);
    const pathPart = decodeURIComponent(rawPath);
    const resolved = pathPart === '' ? file : pathPart.startsWith('/') ? pathPart.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
    const where = `${file}:${line}`;
    if (resolved.startsWith('..')) {
      out.push({ where, target, why: 'points outside the repository' });
      continue;
    }
    const abs = path.join(root, resolved);
    if (!fs.existsSync(abs)) {
      out.push({ where, target, why: `${resolved} does not exist` });
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !headingAnchors(fs.readFileSync(abs, 'utf8')).has(anchor.toLowerCase())) {
      out.push({ where, target, why: `${resolved} has no heading #${anchor}` });
    }
  }
  return out;
}

/** The comment text of a source line ("" for code): whole-line comments only, so strings and URLs never count. */
export function commentOf(file: string, line: string): string {
  const t = line.trim();
  const hashComments = /(?:\.(?:ya?ml|sh|tf|py|properties|template)|Dockerfile|\.ci\/run)$/.test(file);
  if (hashComments) return t.startsWith('#') ? t : '';
  return t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') ? t : '';
}

/**
 * The repository paths a comment names: words that start with one of the repository's top-level
 * folders and a slash (`common/db/outbox.ts`, `loadtest/results/`), up to the first character that
 * cannot be in a path; trailing punctuation dropped. Not paths: a quoted one (an example of
 * output, "helm/chart/templates/x.yaml:12"), and a pattern (`loadtest/results/api-<date>.json`,
 * `dist/**`).
 */
const patterns = new Map<string, RegExp>();
function pathPattern(topFolders: readonly string[]): RegExp {
  const key = topFolders.join('\0');
  let re = patterns.get(key);
  if (!re) {
    const alternatives = topFolders.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    re = new RegExp(`(?<![\\w./$"-])((?:${alternatives})/[\\w./-]*)`, 'g');
    patterns.set(key, re);
  }
  return re;
}

export function pathsInComment(comment: string, topFolders: readonly string[]): string[] {
  if (topFolders.length === 0 || !comment.includes('/')) return [];
  const re = pathPattern(topFolders);
  return [...comment.matchAll(re)]
    .filter((m) => !/[<*{]/.test(comment.charAt((m.index ?? 0) + m[0].length)))
    .map((m) => m[1].replace(/[.,:;-]+$/, ''));
}

/** The paths named in the comments of one source file that are not in the repository. */
export function missingCommentPaths(root: string, file: string, topFolders: readonly string[]): Broken[] {
  const out: Broken[] = [];
  fs.readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      for (const p of pathsInComment(commentOf(file, line), topFolders)) {
        if (!fs.existsSync(path.join(root, p))) out.push({ where: `${file}:${i + 1}`, target: p, why: 'named in a comment, not in the repository' });
      }
    });
  return out;
}

/** Source files whose comments are checked: code, scripts and configuration. */
export const COMMENTED_SOURCE = /(?:\.(?:ts|js|mjs|cjs|ya?ml|sh|tf|py)|(?:^|\/)Dockerfile|^\.ci\/run)$/;
