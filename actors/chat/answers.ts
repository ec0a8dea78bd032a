/**
 * Reading the answer to a question the chat asked: which of the named tasks ("the first one", "2",
 * "the dentist one", "both"), yes or no, or never mind. Pure. Anything else is not an answer, and
 * the message is handled as a new one.
 */
import { contentWords, matchTasks, type TaskSummary } from './parser/matchTasks';

export type Answer = { kind: 'pick'; ids: string[] } | { kind: 'yes' } | { kind: 'no' } | { kind: 'cancel' };

const ORDINALS: Record<string, number> = {
  first: 1, '1st': 1, one: 1, second: 2, '2nd': 2, two: 2, third: 3, '3rd': 3, three: 3, fourth: 4, '4th': 4, four: 4, fifth: 5, '5th': 5, five: 5,
};
const YES = /^(?:yes|yeah|yep|yup|sure|ok|okay|please|please do|do it|go ahead|add it|y|correct|right|sounds good)$/;
const NO = /^(?:no|nope|nah|n|don'?t|do not|no thanks|no thank you)$/;
const CANCEL = /^(?:cancel|never ?mind|nevermind|forget it|none|neither|none of them|neither of them|stop|nothing)$/;
const ALL = /^(?:all|both|all of them|both of them|every one|everything|all \d+)$/;

function plain(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’']/g, "'").replace(/[.!?,;:]+/g, ' ').replace(/\s+/g, ' ').trim()
    .replace(/^(?:um+|uh+|hmm+|oh|well|ah)\s+/, '').replace(/\s+(?:please|thanks|thank you)$/, '');
}

/** The 1-based position an answer names: "2", "#2", "number 2", "the second (one)", "the last one". */
function position(text: string, count: number): number | undefined {
  const t = text.replace(/^(?:the|number|no|#)\s*/, '').replace(/\s*(?:one|task|option)$/, '').trim();
  if (/^\d{1,2}$/.test(t)) return Number(t);
  if (t in ORDINALS) return ORDINALS[t];
  if (t === 'last' || t === 'latter') return count;
  if (t === 'former') return 1;
  return undefined;
}

export function readYesNo(text: string): Answer | null {
  const t = plain(text);
  if (YES.test(t)) return { kind: 'yes' };
  if (NO.test(t)) return { kind: 'no' };
  if (CANCEL.test(t)) return { kind: 'cancel' };
  return null;
}

/**
 * Which of `candidates` (in the order the question named them) the answer picks; words may also
 * name another of the user's tasks (`others`), e.g. when the question named none that fit.
 */
export function readPick(text: string, candidates: TaskSummary[], others: TaskSummary[] = []): Answer | null {
  const t = plain(text);
  if (!t) return null;
  if (CANCEL.test(t) || NO.test(t)) return { kind: 'cancel' };
  if (ALL.test(t) && candidates.length > 0) return { kind: 'pick', ids: candidates.map((c) => c.id) };
  const n = position(t, candidates.length);
  if (n !== undefined) return n >= 1 && n <= candidates.length ? { kind: 'pick', ids: [candidates[n - 1].id] } : null;
  const words = t.replace(/^(?:the|i mean|i meant|it's|it is|that's)\s+/, '').replace(/\s+one$/, '');
  if (contentWords(words).length === 0) return null;
  for (const pool of [candidates, others]) {
    const { matches } = matchTasks({ kind: 'text', text: words }, pool, []);
    if (matches.length === 1) return { kind: 'pick', ids: matches };
    if (matches.length > 1) return null;
  }
  return null;
}
