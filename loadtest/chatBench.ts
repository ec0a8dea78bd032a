/**
 * The chat's speed (issue 6: "reply in under 5 ms at p99 for parsing"): the parser alone over the
 * whole corpus, in this process, and POST /v1/chat through the real stack for comparison. Three
 * runs, median (min–max); writes the bench:chat section of loadtest/RESULTS.md and a JSON file.
 * `npm run bench -- --chat` runs only this.
 */
import os from 'node:os';
import corpusFile from '../actors/chat/parser/corpus.json';
import { parseMessage, warmUp } from '../actors/chat/parser';
import { say } from '../stack/progress';
import { benchCommand, gateway, load, percentile, summarizeRuns, users, writeResultsFile, type Summary } from './kit';
import { replaceSection } from './resultsMd';

interface Case {
  text: string;
  timezone?: string;
  now?: string;
}
const corpus = corpusFile as unknown as { defaults: { now: string; timezone: string }; cases: Case[] };

/** One pass of the parser over the corpus, `reps` times: per-message wall and CPU time in ms. */
function parseRun(reps: number): Record<string, number> {
  const contexts = corpus.cases.map((c) => ({ now: new Date(c.now ?? corpus.defaults.now), timezone: c.timezone ?? corpus.defaults.timezone }));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    corpus.cases.forEach((c, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      parseMessage(c.text, contexts[i]);
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
    });
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { messages: wall.length, wallP50: percentile(wall, 50), wallP99: percentile(wall, 99), wallMax: wall[wall.length - 1], cpuP99: percentile(cpu, 99) };
}

const MESSAGES = ['add buy milk tomorrow at 5pm #errands p2', "what's overdue?", 'show my high priority tasks', 'mark it as done',
  'remind me to pay rent on the 1st of every month at 9am', 'move the milk to friday at 3pm', 'help'];

export async function runChatBench(args: string[]): Promise<number> {
  const quick = args.includes('--quick');
  warmUp();
  parseRun(3);
  const parse: Array<Record<string, number>> = [];
  const endpoint: Array<Record<string, number>> = [];
  const chatUsers = await users(50, 'bench-chat');
  for (let i = 1; i <= 3; i++) {
    say(`▶ bench: chat parser over ${corpus.cases.length} utterances ×${quick ? 3 : 10}, run ${i}/3`);
    parse.push(parseRun(quick ? 3 : 10));
    say(`▶ bench: POST /v1/chat through the stack (50 users, 8 connections), run ${i}/3`);
    const step = new Map<number, number>();
    const r = await load(quick ? 4 : 10, 8, async (w) => {
      const n = (step.get(w) ?? 0) + 1;
      step.set(w, n);
      const u = chatUsers[(w * 13 + n) % chatUsers.length];
      const res = await gateway('POST', '/v1/chat', u.auth, JSON.stringify({ message: MESSAGES[n % MESSAGES.length] }));
      return res.status === 200;
    });
    endpoint.push({ throughput: r.throughput, p50: r.p50, p99: r.p99, errors: r.errors });
  }
  const p = summarizeRuns(parse);
  const e = summarizeRuns(endpoint);
  const date = new Date().toISOString();
  const command = benchCommand(args);
  const report = { date, command, machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) }, node: process.version, parse: { runs: parse, summary: p }, endpoint: { runs: endpoint, summary: e } };
  writeResultsFile('chat-', date, report);
  const ms = (x: Summary, d = 2) => `${x.median.toFixed(d)} ms (${x.min.toFixed(d)}–${x.max.toFixed(d)})`;
  replaceSection('chat', 'Chat: parsing and POST /v1/chat', [
    `Command: \`${command}\` (${date.slice(0, 16)}Z; ${report.machine.cores} cores, shared with the running stack). Parser: every corpus utterance (${corpus.cases.length}) parsed ${quick ? 3 : 10} times per run in one process after warm-up, timed one message at a time. Endpoint: 8 connections, 50 users, a mix of ${MESSAGES.length} messages (create, list, complete, update, help), ${quick ? 4 : 10} s per run. Figures: median (min–max) of 3 runs.`,
    '',
    '| measured | p50 | p99 | max / throughput | goal (issue 6) |',
    '|---|---|---|---|---|',
    `| parsing one message (wall) | ${ms(p.wallP50, 3)} | ${ms(p.wallP99)} | max ${ms(p.wallMax)} | p99 < 5 ms |`,
    `| parsing one message (CPU of this process) | | ${ms(p.cpuP99)} | | |`,
    `| POST /v1/chat through gateway → Dapr → UserActor → PostgreSQL | ${ms(e.p50, 1)} | ${ms(e.p99, 1)} | ${e.throughput.median.toFixed(0)} msg/s (${e.throughput.min.toFixed(0)}–${e.throughput.max.toFixed(0)}), errors ${e.errors.median} | (none; the seed needed 250 ms with an LLM) |`,
  ].join('\n'));
  say(`chat: parse p99 ${p.wallP99.median.toFixed(2)} ms; POST /v1/chat p50 ${e.p50.median.toFixed(1)} ms p99 ${e.p99.median.toFixed(1)} ms`);
  return 0;
}
