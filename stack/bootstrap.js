#!/usr/bin/env node
// Entry point of every npm command (start, test, stack, token). Plain JavaScript with no
// dependencies, because it runs on a fresh clone before anything is installed: it installs the
// npm packages when package-lock.json changed, compiles the TypeScript (incrementally), then hands
// over to the compiled stack CLI. Progress goes to stderr so that `npm run -s token` prints only
// the token on stdout.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const say = (msg) => process.stderr.write(`${msg}\n`);

function run(title, cmd, args) {
  const t0 = Date.now();
  say(`▶ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    say(`✖ ${title} failed after ${secs}s (exit ${r.status ?? r.signal}); its output is above`);
    process.exit(1);
  }
  say(`✔ ${title} (${secs}s)`);
}

function npmPackagesStale() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (npmPackagesStale()) {
  run('installing npm packages (npm ci)', npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const t0 = Date.now();
const r = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) {
  say('✖ compiling TypeScript (tsc -b) failed; the errors are above');
  process.exit(1);
}
if (Date.now() - t0 > 3000) say(`✔ compiled TypeScript (${((Date.now() - t0) / 1000).toFixed(1)}s)`);

require(path.join(root, 'dist', 'stack', 'cli.js'))
  .main(process.argv.slice(2))
  .then((code) => process.exit(code ?? 0), (err) => {
    say(`✖ ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  });
