/**
 * parseMessage: one chat message → a ParsedIntent. Pure and deterministic given ctx.now and
 * ctx.timezone; never throws (any input gives an intent, `unknown` at worst).
 *
 * The grammars are tried in this order, the first that matches wins:
 *   help → reminder delivery questions ("did my reminder go out?") → reminders ("remind me …") → list questions → complete/reopen → updates → delete →
 *   create (a command verb) → create without a verb when the message carries a date, recurrence,
 *   priority, tag or reminder and is not a question → unknown.
 */
import { createBody } from './createCommand';
import { parseDelivery } from './deliveryParser';
import { hasDetails, parseCreate } from './createParser';
import { isHelp } from './helpParser';
import { parseList } from './listParser';
import { isBlank, MAX_MESSAGE_LENGTH, normalizeMessage } from './normalize';
import { stripPoliteness } from './politeness';
import { parseRemind } from './remindParser';
import { parseStatus } from './statusParser';
import { trimEdges } from './title';
import type { ParseContext, ParsedIntent } from './types';
import { unknown } from './unknown';
import { parseUpdate } from './updateParser';
import { isValidZone } from './zone';
import { zoned, type Zoned } from './zoned';

const QUESTION_WORD = /^(?:what|when|where|who|why|how|is|are|do|does|did|can|could|should|will|would|which|any)(?![\p{L}])/iu;

function classify(text: string, question: boolean, z: Zoned): ParsedIntent {
  if (isHelp(text)) return { intent: 'help' };
  const delivery = parseDelivery(text);
  if (delivery) return delivery;
  const remind = parseRemind(text, z);
  if (remind) return remind;
  const list = parseList(text, z);
  if (list) return list;
  const done = parseStatus(text, ['reopen', 'complete']);
  if (done) return done;
  const update = parseUpdate(text, z);
  if (update) return update;
  const removed = parseStatus(text, ['delete']);
  if (removed) return removed;
  const body = createBody(text);
  if (body !== undefined) return parseCreate(body, z);
  if (!question && !QUESTION_WORD.test(text)) {
    const guess = parseCreate(text, z);
    if (guess.intent === 'create' && hasDetails(guess)) return guess;
  }
  return unknown('not_understood');
}

export function parseMessage(text: string, ctx: ParseContext): ParsedIntent {
  try {
    if (!(ctx?.now instanceof Date) || Number.isNaN(ctx.now.getTime()) || !isValidZone(ctx.timezone)) return unknown('bad_context');
    if (typeof text !== 'string') return unknown('empty');
    if (text.length > MAX_MESSAGE_LENGTH * 4) return unknown('too_long');
    const normalized = normalizeMessage(text);
    if (normalized.length > MAX_MESSAGE_LENGTH) return unknown('too_long');
    if (isHelp(trimEdges(normalized)) || /^\?+$/.test(normalized)) return { intent: 'help' };
    if (isBlank(normalized)) return unknown('empty');
    const { text: stripped, question } = stripPoliteness(normalized);
    if (!stripped) return unknown('empty');
    return classify(stripped, question, zoned(ctx.now, ctx.timezone));
  } catch {
    // Every grammar is total; this is a last line of defence so that the endpoint never sees a throw.
    return unknown('not_understood');
  }
}
