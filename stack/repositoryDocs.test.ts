import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths';
import { brokenLinks, COMMENTED_SOURCE, headingAnchors, markdownLinks, missingCommentPaths, pathsInComment, type Broken } from './repositoryDocs';

/** The files git tracks (what a clone has), with the working tree's content. */
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\0')
  // Links (helm/todo-actors/files/ points at monitoring/) are read where they point: their folders hold the files.
  .filter((f) => f !== '' && fs.existsSync(path.join(REPO_ROOT, f)) && fs.statSync(path.join(REPO_ROOT, f)).isFile());
const topFolders = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))];
const report = (broken: Broken[]) => broken.map((b) => `${b.where}: ${b.target}: ${b.why}`).join('\n');

describe('the repository’s own documents', () => {
  it('every relative link in every Markdown file resolves to a file in the repository, and to a heading when it names one', () => {
    const md = tracked.filter((f) => f.endsWith('.md'));
    assert.ok(md.length > 10, `found ${md.length} Markdown files`);
    const broken = md.flatMap((f) => brokenLinks(REPO_ROOT, f));
    assert.deepEqual(broken, [], report(broken));
  });

  it('every repository path a comment names exists', () => {
    const sources = tracked.filter((f) => COMMENTED_SOURCE.test(f));
    assert.ok(sources.length > 100, `found ${sources.length} source files`);
    const missing = sources.flatMap((f) => missingCommentPaths(REPO_ROOT, f, topFolders));
    assert.deepEqual(missing, [], report(missing));
  });

  it('nothing cites the design notes a clone does not have: the architecture is docs/ARCHITECTURE.md', () => {
    // Spelled in parts, so that this test does not find itself.
    const contract = ['CONTRACT', 'md'].join('.');
    const architecture = new RegExp(`(?<![\\w/])(?<!\\]\\()${['ARCHITECTURE', 'md'].join('\\.')}`);
    const offenders: string[] = [];
    for (const f of tracked) {
      const text = fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
      if (text.includes('\0')) continue;
      text.split('\n').forEach((line, i) => {
        if (line.includes(contract)) offenders.push(`${f}:${i + 1}: ${contract}`);
        // The architecture by its file name alone, not as docs/… nor as a link target beside it.
        if (architecture.test(line) && f !== 'docs/ARCHITECTURE.md') offenders.push(`${f}:${i + 1}: the architecture without docs/`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});

describe('the repository documents check', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-docs-'));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.mkdirSync(path.join(root, 'common'));
    fs.writeFileSync(path.join(root, 'common', 'x.ts'), '// see docs/API.md and common/x.ts, not common/gone.ts.\nconst url = "common/notACommentPath.ts";\n');
    fs.writeFileSync(path.join(root, 'docs', 'API.md'), '# API\n\n## Two words\n\nSee [x](../common/x.ts), [y](../common/y.ts), [h](#two-words), [n](#nowhere), [w](https://example.com/z).\n\n```\n[not a link](nowhere.md)\n```\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds a link to a missing file and to a missing heading, and nothing else', () => {
    assert.deepEqual(brokenLinks(root, 'docs/API.md').map((b) => b.target), ['../common/y.ts', '#nowhere']);
  });

  it('finds the missing path in a comment, and ignores paths in code', () => {
    assert.deepEqual(missingCommentPaths(root, 'common/x.ts', ['common', 'docs']).map((b) => b.target), ['common/gone.ts']);
  });

  it('reads links, headings and comment paths as GitHub and a reader would', () => {
    assert.deepEqual(markdownLinks('a [b](c.md#d "title") and `[e](f.md)`\n[g]: h/i.md').map((l) => l.target), ['c.md#d', 'h/i.md']);
    assert.deepEqual([...headingAnchors('# Where a write goes\n## The device stream: `GET /v1/stream`\n## API\n## API')], ['where-a-write-goes', 'the-device-stream-get-v1stream', 'api', 'api-1']);
    const comment = ' * the outbox (common/db/outbox.ts); loadtest/results/ holds loadtest/results/<date>.json, not $DIR/common/no.ts nor "common/example.ts:12"';
    assert.deepEqual(pathsInComment(comment, ['common', 'loadtest']), ['common/db/outbox.ts', 'loadtest/results/']);
  });
});
