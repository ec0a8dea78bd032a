/**
 * A task reference from the words of a message: a pronoun ("it", "that one", "the last one") or
 * the words that name it, without articles and generic nouns ("the expense one" → "expense",
 * "the task called rent" → "rent"). Quoted words are kept as they are.
 */
import type { TaskRef } from './types';
import { trimEdges } from './title';

const PRONOUN = /^(?:it|that|this|them|that one|this one|the one|last one|the last one|the last|the last task|the previous one|the previous task|the latest one|the latest task|the same one|same one|the same|that task|this task|the task|the one i just (?:added|created|made|mentioned|said))$/i;
const LIST_TAIL = / (?:from|off|on|in|out of) (?:my|the) (?:todo |to-do |to do |task |tasks |shopping )?(?:list|tasks|todos|to-dos)$/i;
const ARTICLE = /^(?:the|my|a|an|this|that|our|your) /i;
const GENERIC_HEAD = /^(?:(?:one|task|todo|to-do|item|entry|thing)(?: (?:called|named|titled|about|for|to|with|saying))? )/i;
const GENERIC_TAIL = / (?:one|task|todo|to-do|item|entry|thing)$/i;
const QUOTED = /^"([^"]+)"$|^'([^']+)'$/;

export function parseTaskRef(raw: string): TaskRef {
  let t = trimEdges(raw.trim());
  const q = QUOTED.exec(t);
  if (q) {
    const inner = (q[1] ?? q[2]).trim();
    return inner ? { kind: 'text', text: inner } : { kind: 'pronoun' };
  }
  t = t.replace(LIST_TAIL, '');
  if (t === '' || PRONOUN.test(t)) return { kind: 'pronoun' };
  for (let i = 0; i < 3; i++) {
    const next = t.replace(ARTICLE, '').replace(GENERIC_HEAD, '').replace(GENERIC_TAIL, '');
    if (next === t) break;
    t = next;
  }
  t = trimEdges(t);
  if (t === '' || PRONOUN.test(t)) return { kind: 'pronoun' };
  const inner = QUOTED.exec(t);
  return { kind: 'text', text: inner ? (inner[1] ?? inner[2]) : t };
}
