/**
 * `npm run bench -- --recurrence`: the worst work one request can cause in the recurrence engine.
 * Hostile rules (rare, never matching, contradictory) are validated as the actor validates every
 * write, best of a few runs each; prints each rule's time and rrule steps, and the worst case.
 * The goal: the worst rule well under 10 ms of the actor host's thread. Pure CPU, no stack. Writes
 * the bench:recurrence section of loadtest/RESULTS.md and a JSON file.
 */
import os from 'node:os';
import { validateRecurrence } from '../common/recurrence';
import { LIMITS } from '../common/recurrence/limits';
import { WORK_METER } from '../common/recurrence/rruleBridge';
import { benchCommand, writeResultsFile } from './kit';
import { replaceSection } from './resultsMd';

export const HOSTILE_RULES = [
  'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;BYMONTH=1;BYMONTHDAY=31',
  'FREQ=YEARLY;BYYEARDAY=1,2,3,4,5,6,7,8,9,10;BYDAY=MO;BYSETPOS=20',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=1,2,3,4,5,6,7;BYSETPOS=9',
  'FREQ=MONTHLY;INTERVAL=12;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2',
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=DAILY;INTERVAL=7;BYDAY=TU',
  'FREQ=HOURLY;INTERVAL=7;BYDAY=TU;BYHOUR=3',
  'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO',
  'FREQ=MINUTELY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=29',
];

export interface RuleCost {
  rule: string;
  ms: number;
  steps: number;
  answer: string;
}

export function measureRule(rule: string, runs = 5): RuleCost {
  let ms = Infinity;
  let steps = 0;
  let answer = '';
  for (let i = 0; i < runs; i++) {
    const s0 = WORK_METER.steps;
    const t0 = process.hrtime.bigint();
    const v = validateRecurrence(rule, new Date('2026-12-03T09:00:00Z'), 'Europe/Berlin');
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
    steps = WORK_METER.steps - s0;
    answer = v.ok ? 'accepted' : v.details[0].message;
  }
  return { rule, ms, steps, answer };
}

export async function runRecurrenceBench(args: string[]): Promise<number> {
  for (const r of HOSTILE_RULES) measureRule(r, 1); // warm up V8 and rrule
  const costs = HOSTILE_RULES.map((r) => measureRule(r));
  for (const c of costs) process.stdout.write(`${c.ms.toFixed(2).padStart(8)} ms ${String(c.steps).padStart(6)} steps  ${c.rule}  → ${c.answer.slice(0, 70)}\n`);
  const worst = costs.reduce((a, b) => (b.ms > a.ms ? b : a));
  process.stdout.write(`worst: ${worst.ms.toFixed(2)} ms (${worst.steps} steps) for ${worst.rule}; goal: well under 10 ms\n`);
  const date = new Date().toISOString();
  const command = benchCommand(args);
  writeResultsFile('recurrence-', date, { date, command, machine: { cores: os.cpus().length }, node: process.version, costs, worst });
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  replaceSection('recurrence', 'Recurrence: the work of validating a hostile rule', [
    `Command: \`${command}\` (${date.slice(0, 16)}Z; ${os.cpus().length} cores, shared). Each rule validated as a create would (DTSTART 2026-12-03 09:00 Europe/Berlin), the fastest of 5 runs after a warm-up; steps are rrule loop steps counted by the engine's meter (common/recurrence/limits.ts: budget ${LIMITS.rruleSteps}). Goal (issue 21): the worst rule well under 10 ms.`,
    '',
    `**Worst: ${worst.ms.toFixed(2)} ms (${worst.steps} steps)**, \`${cell(worst.rule)}\`.`,
    '',
    '| rule | ms | steps | answer |',
    '|---|---|---|---|',
    ...costs.map((c) => `| \`${cell(c.rule)}\` | ${c.ms.toFixed(2)} | ${c.steps} | ${cell(c.answer.slice(0, 90))} |`),
  ].join('\n'));
  return 0;
}
