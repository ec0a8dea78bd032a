#!/usr/bin/env node
// Entry point of every npm command (start, test, stack, token). Plain JavaScript with no
// dependencies, because it runs on a fresh clone before anything is installed: it installs the
// npm packages when package-lock.json changed, compiles the TypeScript (incrementally), then hands
// over to the compiled stack CLI. Progress goes to stderr so that `npm run -s token` prints only
// the token on stdout.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

// `npm run stack -- status | head -3`: when the reader goes away, end quietly, as `ls | head` does.
// (`npm start` replaces these handlers while it shuts down, so a closed pipe cannot stop a shutdown.)
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
const say = (msg) => process.stderr.write(`${msg}\n`);

/** Runs a command, printing every 10 s how long it has run and what `progress()` reports. */
function run(title, cmd, args, progress) {
  const t0 = Date.now();
  say(`▶ ${title}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    const ticker = setInterval(() => say(`  … ${title}: ${Math.round((Date.now() - t0) / 1000)}s${progress ? `, ${progress()}` : ''}`), 10_000);
    child.on('close', (code, signal) => {
      clearInterval(ticker);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (code !== 0) {
        say(`✖ ${title} failed after ${secs}s (exit ${code ?? signal}); its output is above`);
        process.exit(1);
      }
      say(`✔ ${title} (${secs}s)`);
      resolve();
    });
  });
}

function countPackages() {
  try {
    return `${fs.readdirSync(path.join(root, 'node_modules')).filter((d) => !d.startsWith('.')).length} packages in node_modules`;
  } catch {
    return 'resolving';
  }
}

function npmPackagesStale() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

async function main() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (npmPackagesStale()) {
    await run('installing npm packages (npm ci)', npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], countPackages);
  }
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    say('✖ compiling TypeScript (tsc -b) failed; the errors are above');
    process.exit(1);
  }
  if (Date.now() - t0 > 3000) say(`✔ compiled TypeScript (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return require(path.join(root, 'dist', 'stack', 'cli.js')).main(process.argv.slice(2));
}

main().then((code) => process.exit(code ?? 0), (err) => {
  say(`✖ ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
