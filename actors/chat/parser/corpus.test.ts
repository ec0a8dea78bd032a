import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import corpusFile from './corpus.json';
import { parseMessage } from './parseMessage';
import type { ParsedIntent } from './types';

interface Case {
  text: string;
  timezone?: string;
  now?: string;
  expect: Record<string, unknown>;
}

const corpus = corpusFile as unknown as { defaults: { now: string; timezone: string }; cases: Case[] };
const ctxOf = (c: Case) => ({ now: new Date(c.now ?? corpus.defaults.now), timezone: c.timezone ?? corpus.defaults.timezone });

/** Fields a result may carry without the corpus naming them: they are always the same. */
const IMPLIED: Record<string, string[]> = { create: ['timezone'], unknown: ['detail'] };

/** What is wrong with a result, or undefined when it is what the case expects. */
function mismatch(c: Case, got: ParsedIntent): string | undefined {
  const actual = got as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, want] of Object.entries(c.expect)) {
    try {
      assert.deepStrictEqual(actual[key], want);
    } catch {
      problems.push(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(actual[key])}`);
    }
  }
  const implied = IMPLIED[String(actual.intent)] ?? [];
  for (const key of Object.keys(actual)) {
    if (!(key in c.expect) && !implied.includes(key)) problems.push(`${key}: not expected, got ${JSON.stringify(actual[key])}`);
  }
  return problems.length ? problems.join('; ') : undefined;
}

describe('chat corpus', () => {
  it('has at least 150 utterances, across every intent and in Berlin, New York and UTC', () => {
    assert.ok(corpus.cases.length >= 150, `only ${corpus.cases.length} cases`);
    const intents = new Set(corpus.cases.map((c) => c.expect.intent));
    for (const intent of ['create', 'list', 'complete', 'reopen', 'delete', 'update', 'remind', 'help', 'unknown']) assert.ok(intents.has(intent), `no ${intent} case`);
    const zones = new Set(corpus.cases.map((c) => c.timezone ?? corpus.defaults.timezone));
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC']) assert.ok(zones.has(zone), `no case in ${zone}`);
  });

  it('parses every utterance as the corpus expects', () => {
    const failures: string[] = [];
    for (const c of corpus.cases) {
      const problem = mismatch(c, parseMessage(c.text, ctxOf(c)));
      if (problem) failures.push(`${JSON.stringify(c.text)} (${c.timezone ?? 'default zone'}${c.now ? `, now ${c.now}` : ''}): ${problem}`);
    }
    assert.equal(failures.length, 0, `${failures.length} of ${corpus.cases.length} cases fail:\n  ${failures.join('\n  ')}`);
  });

  it('gives the same results whatever time zone the server process runs in', function () {
    this.timeout(60_000);
    const script = `
      const corpus = require(${JSON.stringify(path.join(__dirname, 'corpus.json'))});
      const { parseMessage } = require(${JSON.stringify(path.join(__dirname, 'parseMessage'))});
      const out = corpus.cases.map((c) => parseMessage(c.text, { now: new Date(c.now ?? corpus.defaults.now), timezone: c.timezone ?? corpus.defaults.timezone }));
      process.stdout.write(JSON.stringify(out));`;
    const here = JSON.stringify(corpus.cases.map((c) => parseMessage(c.text, ctxOf(c))));
    // A zone with DST on the other hemisphere and a half-hour shift, and one with US rules.
    for (const tz of ['Australia/Lord_Howe', 'America/Los_Angeles']) {
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8', timeout: 50_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, here, `results differ when the process runs with TZ=${tz}`);
    }
  });
  // Speed is measured by `npm run bench -- --chat` (loadtest/chatBench.ts), not asserted here.
});
