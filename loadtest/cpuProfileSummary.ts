/**
 * Where a service's CPU went, from the `.cpuprofile` files that SERVICE_CPU_PROFILE_DIR makes
 * (node --cpu-prof): busy self time by kind of code (OpenTelemetry, Express, pg, the Dapr SDK,
 * node's own http and streams, the socket writes themselves, …), idle left out, and the first
 * seconds of the process (start-up: module loading, schema compiles) skipped.
 *
 *   node dist/loadtest/cpuProfileSummary.js [--skip-s 8] FILE.cpuprofile ...
 */
import fs from 'node:fs';

export interface CallFrame {
  functionName: string;
  url: string;
}

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  startTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

const SOCKET_WRITES = new Set(['writev', 'writeUtf8String', 'writeBuffer', 'writeLatin1String']);

/** The packages of each group (matched on the node_modules path of the frame's file). */
const PACKAGE_GROUPS: Array<[RegExp, string]> = [
  [/node_modules\/@opentelemetry\//, 'OpenTelemetry'],
  [/node_modules\/(express|router|body-parser|raw-body|finalhandler|path-to-regexp|qs|type-is|content-type|send)\//, 'Express and body parsing'],
  [/node_modules\/@dapr\/dapr\//, 'Dapr JS SDK'],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//, 'pg'],
  [/node_modules\/kafkajs\//, 'kafkajs'],
  [/node_modules\/prom-client\//, 'prom-client'],
  [/node_modules\/(winston|logform|triple-beam|readable-stream|safe-stable-stringify)\//, 'winston'],
  [/node_modules\/ajv\//, 'ajv'],
  [/node_modules\/jose\//, 'jose (JWT)'],
];

/** The kind of code a sampled frame is. */
export function groupOf(frame: CallFrame): string {
  if (SOCKET_WRITES.has(frame.functionName) && frame.url === '') return 'socket writes (the syscalls)';
  if (frame.functionName === '(garbage collector)') return 'garbage collector';
  if (frame.functionName === '(program)') return 'V8 itself (program)';
  for (const [re, name] of PACKAGE_GROUPS) if (re.test(frame.url)) return name;
  if (frame.url.startsWith('node:')) return 'node core (http, net, streams, timers)';
  if (frame.url.includes('node_modules/')) return 'other packages';
  if (frame.url.includes('/dist/')) return 'this project';
  return 'native built-ins';
}

/** Busy self time per group (ms), leaving out idle and the first `skipS` seconds of the profile. */
export function busyByGroup(profile: CpuProfile, skipS: number): { busyMs: number; groups: Map<string, number> } {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const groups = new Map<string, number>();
  let t = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    t += d;
    const frame = frames.get(id);
    if (t < skipS * 1e6 || !frame || frame.functionName === '(idle)') return;
    busy += d;
    const g = groupOf(frame);
    groups.set(g, (groups.get(g) ?? 0) + d);
  });
  return { busyMs: busy / 1000, groups: new Map([...groups].map(([g, us]) => [g, us / 1000])) };
}

/** The service a profile is of, from the main script among its frames (the gateway's main.js → gateway). */
export function serviceOf(profile: CpuProfile): string {
  const main = profile.nodes.map((n) => /\/dist\/([a-z]+)\/main\.js$/.exec(n.callFrame.url)?.[1]).find(Boolean);
  return main ?? 'unknown';
}

function main(): void {
  const args = process.argv.slice(2);
  const i = args.indexOf('--skip-s');
  const skipS = i >= 0 ? Number(args.splice(i, 2)[1]) : 8;
  if (!args.length || !Number.isFinite(skipS)) {
    console.error('usage: node dist/loadtest/cpuProfileSummary.js [--skip-s SECONDS] FILE.cpuprofile ...');
    process.exit(2);
  }
  for (const file of args) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const { busyMs, groups } = busyByGroup(profile, skipS);
    console.log(`${serviceOf(profile)} (${file}): ${(busyMs / 1000).toFixed(1)} s busy after the first ${skipS} s`);
    for (const [g, ms] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %  ${g}`);
  }
}

if (require.main === module) main();
