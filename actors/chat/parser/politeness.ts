/**
 * Words around a command that do not change it: greetings and fillers ("hey", "ok", "please"),
 * "can you", "I'd like to" before a command verb, "thanks" at the end, and the closing
 * punctuation. Whether the message ended with "?" is kept: a question never becomes a new task.
 */
import { trimEdges } from './title';

const LEAD = /^(?:(?:hey|hi|hello|ok|okay|alright|so|um|uh|oh|yo|please|pls|plz|kindly|and|also|hmm|well)(?![\p{L}\p{N}'])[,!.]? ?)+/iu;
const ASK = /^(?:can|could|would|will) (?:you|u)(?: please| kindly)? /i;
const COMMAND_VERB = '(?:add|create|put|schedule|delete|remove|get rid of|drop|see|view|list|show|find|search|mark|complete|finish|tick|check|move|reschedule|postpone|push|change|rename|set|make|update|edit|reopen|undo|remind|tag|label|cancel|give)';
const WANT = new RegExp(`^(?:i(?:'d| would) like(?: you)? to|i want(?: you)? to|i wanna|i need you to|go ahead and|let's|lets|help me|please) (?=${COMMAND_VERB}(?![\\p{L}]))`, 'iu');
const TAIL = /(?:[ ,]+(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers|for me))+[ .!?]*$/iu;

export interface Stripped {
  text: string;
  question: boolean;
}

export function stripPoliteness(s: string): Stripped {
  const question = /\?[\s.!?]*$/.test(s);
  let t = s;
  for (let i = 0; i < 3; i++) {
    const next = trimEdges(t.replace(LEAD, '').replace(ASK, '').replace(WANT, '').replace(TAIL, ''));
    if (next === t) break;
    t = next;
  }
  return { text: t, question };
}
