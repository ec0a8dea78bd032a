/**
 * What is left of a message once its phrases are punched out becomes the title (or the words of a
 * task reference): the connecting words that introduced a removed phrase ("due", "on", "at", "by",
 * "to" …) go with it, then holes, surplus spaces and edge punctuation.
 */
import { HOLE } from './normalize';

// A connector right before a hole: "pay rent on ␀␀␀" → "pay rent ␀␀␀␀␀␀". Repeated for "due on".
const CONNECTOR_BEFORE_HOLE = new RegExp(`(^|[^\\p{L}\\p{N}'])(?:due|on|at|by|before|until|till|starting|from|for|to|in the)[ ,]*(?=${HOLE})`, 'giu');
// "and" or "," between two holes: "␀␀ and ␀␀".
const JOINER_BETWEEN_HOLES = new RegExp(`${HOLE} *(?:and|&|,|;) *(?=${HOLE})`, 'giu');

const EDGE = new Set([...' ,;:.!?-–—+&|/\\']);

/** Trims the characters of EDGE from both ends (a loop: a regex would be quadratic on long runs). */
export function trimEdges(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && EDGE.has(s[a])) a++;
  while (b > a && EDGE.has(s[b - 1])) b--;
  return s.slice(a, b);
}

export function leftover(work: string): string {
  let t = work;
  for (let i = 0; i < 4; i++) {
    const next = t.replace(JOINER_BETWEEN_HOLES, HOLE + HOLE).replace(CONNECTOR_BEFORE_HOLE, (_m, pre: string) => pre + HOLE);
    if (next === t) break;
    t = next;
  }
  return trimEdges(t.split(HOLE).join(' ').replace(/ {2,}/g, ' '));
}
