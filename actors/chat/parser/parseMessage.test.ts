import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_MESSAGE_LENGTH } from './normalize';
import { parseMessage } from './parseMessage';
import type { ParsedIntent } from './types';

const ctx = { now: new Date('2026-11-23T10:00:00Z'), timezone: 'Europe/Berlin' };
const INTENTS = ['create', 'list', 'complete', 'reopen', 'delete', 'update', 'remind', 'help', 'unknown'];

/** What every result must satisfy, whatever the input. */
function wellFormed(r: ParsedIntent): void {
  assert.ok(INTENTS.includes(r.intent), r.intent);
  JSON.stringify(r);
  if (r.intent === 'create') {
    assert.ok(r.title.length >= 1 && r.title.length <= 500 && /\S/.test(r.title));
    assert.ok(r.due === null || !Number.isNaN(Date.parse(r.due)));
    for (const t of r.tags ?? []) assert.match(t, /^[^\s,#]{1,100}$/u);
  }
  if (r.intent === 'unknown') assert.ok(r.detail.length > 0);
}

const WORDS = ['add', 'remind me to', 'every', 'on the', '1st', 'of', 'month', 'at', '9am', 'tomorrow', 'friday', '#work', 'p1', 'high priority', 'before', '30 minutes',
  'until', 'dec 31', 'mark', 'it', 'as done', 'move', 'to', 'rename', 'show', 'overdue', 'tagged', 'the', '"', "'", '!', '?', ',', 'and', '🎉', 'ñ', 'İ', '\u0000', '\n', '%', '$'];

describe('parseMessage', () => {
  it('never throws and always returns a well-formed intent, for any string (property)', function () {
    this.timeout(60_000);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => wellFormed(parseMessage(s, ctx))), { numRuns: 500, seed: 7 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => wellFormed(parseMessage(s, ctx))), { numRuns: 300, seed: 8 });
  });

  it('never throws on messages made of its own keywords in any order (property)', function () {
    this.timeout(60_000);
    const message = fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }).map((ws) => ws.join(' '));
    fc.assert(fc.property(message, (s) => wellFormed(parseMessage(s, ctx))), { numRuns: 1000, seed: 9 });
  });

  it('refuses messages over the length cap with a reason', () => {
    for (const text of ['a'.repeat(MAX_MESSAGE_LENGTH + 1), 'x'.repeat(10_000), 'add buy milk '.repeat(1000)]) {
      const r = parseMessage(text, ctx);
      assert.equal(r.intent, 'unknown');
      assert.equal(r.intent === 'unknown' && r.reason, 'too_long');
    }
    assert.equal(parseMessage(`add ${'a'.repeat(MAX_MESSAGE_LENGTH - 4)}`, ctx).intent, 'create');
  });

  // Runaway backtracking would take minutes on these: the test's timeout is the guard (no timed
  // assertion, the machine is shared); their speed is in `npm run bench -- --chat`.
  it('parses adversarial messages at the length cap without runaway backtracking', function () {
    this.timeout(60_000);
    const n = (unit: string) => unit.repeat(Math.floor((MAX_MESSAGE_LENGTH - 4) / unit.length));
    const inputs = [n('at 9 '), n('30 minutes '), `add ${n('30 minutes and ')}`, `add ${n('5 days  and   ')}`, n('1st and '), n('mon, '), `add ${n('dec 1 ')}`,
      `add ${n('p1 high priority ')}`, `tag x ${n('#a ')}`, `rename ${n('to ')}`, n('every '), n(', '), n('🎉'), `show ${n('tagged a and ')}`, `add ${n('"')}`];
    for (const text of inputs) {
      wellFormed(parseMessage(text, ctx));
    }
  });

  it('answers empty, blank and punctuation-only messages with reason empty', () => {
    for (const text of ['', '   ', '...', '!!!', ',;:-', '\u200b\u200b']) {
      const r = parseMessage(text, ctx);
      assert.equal(r.intent === 'unknown' && r.reason, 'empty', JSON.stringify(text));
    }
  });

  it('answers a bad context or a non-string message without throwing', () => {
    assert.deepEqual(pick(parseMessage('add x tomorrow', { now: new Date('nope'), timezone: 'UTC' })), 'bad_context');
    assert.deepEqual(pick(parseMessage('add x tomorrow', { now: ctx.now, timezone: 'Not/AZone' })), 'bad_context');
    assert.deepEqual(pick(parseMessage(undefined as unknown as string, ctx)), 'empty');
    assert.deepEqual(pick(parseMessage(42 as unknown as string, ctx)), 'empty');
    assert.deepEqual(pick(parseMessage('add x', null as unknown as typeof ctx)), 'bad_context');
  });

  it('treats SQL, markup and emoji as text, never as commands', () => {
    assert.equal(parseMessage("'; DROP TABLE tasks; --", ctx).intent, 'unknown');
    const r = parseMessage('add <b>call</b> Robert"); DROP TABLE tasks;-- 🎉 tomorrow', ctx);
    assert.equal(r.intent, 'create');
    assert.equal(r.intent === 'create' && r.title, '<b>call</b> Robert"); DROP TABLE tasks;-- 🎉');
  });

  it('is deterministic: the same message, instant and zone give the same result', () => {
    const a = parseMessage('remind me to pay rent on the 1st of every month at 9am', ctx);
    const b = parseMessage('remind me to pay rent on the 1st of every month at 9am', { now: new Date(ctx.now.getTime()), timezone: 'Europe/Berlin' });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, parseMessage('remind me to pay rent on the 1st of every month at 9am', { ...ctx, timezone: 'UTC' }));
  });

  it('normalizes typographic quotes, dashes and spaces before reading', () => {
    assert.deepEqual(parseMessage('what\u2019s\u00a0overdue?', ctx), parseMessage("what's overdue?", ctx));
    assert.deepEqual(parseMessage('add “meet at 5” tomorrow', ctx), parseMessage('add "meet at 5" tomorrow', ctx));
  });

  it('does not create a task from a question or from plain words without any detail', () => {
    for (const text of ['buy milk', 'is it going to rain tomorrow?', 'when is my dentist appointment on friday', 'thanks'])
      assert.equal(parseMessage(text, ctx).intent, 'unknown', text);
    assert.equal(parseMessage('buy milk tomorrow', ctx).intent, 'create');
  });
});

function pick(r: ParsedIntent): string | undefined {
  return r.intent === 'unknown' ? r.reason : undefined;
}
