/**
 * Which of the user's tasks a reference means. Pure; the endpoint asks `clarify` when this returns
 * none or several.
 *
 * A pronoun means the tasks last mentioned in the conversation (that still exist). Words are
 * compared case- and accent-insensitively, word by word, without articles and filler ("the", "my",
 * "one", "task" …) and with a plural "s" ignored, in tiers; the first tier with a match wins:
 *   1. the same words as the title ("dentist appointment" = "Dentist appointment");
 *   2. every word of the reference in the title or tags ("report" ⊂ "Send the report");
 *   3. every word of the title in the reference ("dentist appointment" ⊃ "Dentist");
 *   4. as 2, without generic nouns ("dentist appointment" → "dentist" ⊂ "Call the dentist");
 *   5. as 2, with typos and prefixes ("dentst", "rep" → "report").
 * With `prefer`, a tier with several matches keeps only those with that status, if any (a "reopen"
 * means a completed task, a "complete" an open one).
 */
import type { TaskStatus } from '../../../common/tasks/task';
import type { TaskRef } from './types';

export interface TaskSummary {
  id: string;
  title: string;
  tags: string[];
  status: TaskStatus;
}

export interface MatchOptions {
  prefer?: TaskStatus;
}

const STOP = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'this', 'that', 'these', 'those', 'of', 'for', 'to', 'on', 'in', 'at', 'with', 'and', 'one', 'task', 'tasks', 'todo', 'item', 'thing', 'about', 'called', 'named']);
const GENERIC = new Set(['appointment', 'meeting', 'call', 'reminder', 'event', 'session', 'stuff', 'job', 'errand', 'note']);
const MAX_WORD = 40;

/** Content words: lower case, accents off, plural s off, stop words out. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  for (const raw of plain.split(/[^\p{L}\p{N}]+/u)) {
    if (!raw || STOP.has(raw)) continue;
    let w = raw.slice(0, MAX_WORD);
    if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
    if (!out.includes(w)) out.push(w);
  }
  return out;
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds max. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

function close(refWord: string, word: string): boolean {
  if (refWord === word) return true;
  if (refWord.length >= 3 && word.startsWith(refWord)) return true;
  const max = refWord.length >= 8 ? 2 : refWord.length >= 4 ? 1 : 0;
  return max > 0 && editDistance(refWord, word, max) <= max;
}

interface Candidate {
  task: TaskSummary;
  title: string[];
  all: Set<string>;
}

const subset = (words: readonly string[], of: Set<string> | readonly string[]): boolean => {
  const set = of instanceof Set ? of : new Set(of);
  return words.every((w) => set.has(w));
};

function narrow(ids: TaskSummary[], options: MatchOptions | undefined): string[] {
  if (options?.prefer && ids.length > 1) {
    const preferred = ids.filter((t) => t.status === options.prefer);
    if (preferred.length) return preferred.map((t) => t.id);
  }
  return ids.map((t) => t.id);
}

export function matchTasks(ref: TaskRef, tasks: readonly TaskSummary[], lastMentionedIds: readonly string[], options?: MatchOptions): { matches: string[] } {
  if (ref.kind === 'pronoun') {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const found: TaskSummary[] = [];
    for (const id of lastMentionedIds) {
      const t = byId.get(id);
      if (t && !found.includes(t)) found.push(t);
    }
    return { matches: narrow(found, options) };
  }
  const refWords = contentWords(ref.text);
  if (refWords.length === 0) return { matches: [] };
  const candidates: Candidate[] = tasks.map((task) => {
    const title = contentWords(task.title);
    return { task, title, all: new Set([...title, ...task.tags.flatMap((tag) => contentWords(tag))]) };
  });
  const specific = refWords.filter((w) => !GENERIC.has(w));
  const tiers: Array<(c: Candidate) => boolean> = [
    (c) => c.title.length === refWords.length && subset(refWords, c.title),
    (c) => subset(refWords, c.all),
    (c) => c.title.length > 0 && subset(c.title, refWords),
    (c) => specific.length > 0 && specific.length < refWords.length && subset(specific, c.all),
    (c) => refWords.every((r) => [...c.all].some((w) => close(r, w))),
  ];
  for (const tier of tiers) {
    const hits = candidates.filter(tier).map((c) => c.task);
    if (hits.length) return { matches: narrow(hits, options) };
  }
  return { matches: [] };
}
