/**
 * Phrases that qualify a recurrence, wherever they stand in the message: "after completion" (the
 * next occurrence counts from when the task was done), "for 5 days" / "10 times" (COUNT).
 * "until <date>" and "starting <date>" need the date reader and live in createParser.
 */
import { NUMBER, numberOf } from './numbers';
import { punchAll } from './spans';

const COMPLETION = new RegExp(
  "(?<![\\p{L}\\p{N}])(?:(?:counting|calculated|computed|repeating|repeat) )?(?:after|from|since) (?:" +
    'completion|completing(?: it)?|finishing(?: it)?|(?:the )?last completion|' +
    "(?:i|you|it) (?:complete|completed|finish|finished|do|did|mark|marked)(?: it)?(?: (?:as )?(?:done|complete|completed))?|" +
    "(?:it's|it is|its) (?:done|completed|finished|complete)|(?:(?:it|being) )?(?:done|completed|finished)" +
    ')(?![\\p{L}\\p{N}])',
  'giu',
);

const COUNT_TIMES = new RegExp(`(?<![\\p{L}\\p{N}])(?:for |a total of )?(${NUMBER}) (?:times|occurrences|repetitions)(?![\\p{L}\\p{N}])`, 'giu');
const COUNT_SPAN = new RegExp(`(?<![\\p{L}\\p{N}])for (?:the next )?(${NUMBER}) (days?|weeks?|months?|years?)(?![\\p{L}\\p{N}])`, 'giu');

export function extractCompletion(work: string): { completion: boolean; work: string } {
  let completion = false;
  const rest = punchAll(work, COMPLETION, () => (completion = true));
  return { completion, work: rest };
}

/** A count of occurrences ("10 times") or a span ("for 2 weeks"); the first one said. */
export type CountSpec = { times: number } | { n: number; unit: 'day' | 'week' | 'month' | 'year' };

export function extractCount(work: string): { count?: CountSpec; work: string } {
  let count: CountSpec | undefined;
  let rest = punchAll(work, COUNT_TIMES, (m) => {
    const n = numberOf(m[1]);
    if (count || !(n >= 1)) return false;
    count = { times: n };
    return true;
  });
  rest = punchAll(rest, COUNT_SPAN, (m) => {
    const n = numberOf(m[1]);
    if (count || !(n >= 1)) return false;
    count = { n, unit: m[2].toLowerCase().replace(/s$/, '') as 'day' | 'week' | 'month' | 'year' };
    return true;
  });
  return { count, work: rest };
}
