/**
 * Completing, reopening and deleting a task: the verb, then the task reference.
 *
 *   complete  mark X as done|complete|finished, complete|finish|tick off|check off|cross off X,
 *             done with X, I finished|did|completed X, X is done, done / finished / did it (→ "it")
 *   reopen    reopen|undo|uncomplete|unmark|restore X, mark X as not done|open|incomplete,
 *             X isn't done (yet), I didn't finish X
 *   delete    delete|remove|get rid of|drop|trash|erase|discard|cancel|scrap|ditch|forget (about) X
 */
import { parseTaskRef } from './taskRef';
import type { RefIntent } from './types';

type StatusIntent = RefIntent<'complete'> | RefIntent<'reopen'> | RefIntent<'delete'>;

const E = '(?![\\p{L}\\p{N}])';
const DONE = '(?:done|complete|completed|finished|checked|ticked|closed)';
const NOT_DONE = '(?:not done|undone|not complete|not completed|incomplete|unfinished|not finished|open|to ?do|pending|active|uncompleted)';

const RULES: Array<{ intent: StatusIntent['intent']; re: RegExp }> = [
  { intent: 'reopen', re: new RegExp(`^(?:reopen|re-open|uncomplete|un-complete|unfinish|unmark|undo|reactivate|restore|uncheck|un-check|untick|un-tick|bring back)${E}(?: (.+))?$`, 'iu') },
  { intent: 'reopen', re: new RegExp(`^(?:mark|set|make|flag|move|put)(?: (?!(?:as|to|back) )(.+?))? (?:as |to |back to |back as )?${NOT_DONE}(?: again)?$`, 'iu') },
  { intent: 'reopen', re: new RegExp(`^(.+?) (?:isn't|is not|isnt|wasn't|was not|wasnt|is actually not|isn't actually|is still not|still isn't) (?:done|finished|complete|completed)(?: yet| after all)?$`, 'iu') },
  { intent: 'reopen', re: new RegExp(`^i (?:didn't|did not|didnt|haven't|have not|havent) (?:actually |really )?(?:finish|finished|do|done|complete|completed) (.+)$`, 'iu') },
  { intent: 'complete', re: new RegExp(`^(?:mark|set|flag)(?: (?!as )(.+?))? (?:as )?${DONE}$`, 'iu') },
  {
    intent: 'complete',
    re: new RegExp(`^(?:complete|finish|finished|completed|check off|tick off|tick|cross off|cross out|strike|knock out|knock off|wrap up|done with|(?:i'm|im|i am) (?:done|finished) with|(?:i've|ive|i have|i) (?:just )?(?:done|did|finished|completed)|just (?:did|finished|completed)|did)${E}(?: (.+))?$`, 'iu'),
  },
  { intent: 'complete', re: new RegExp(`^(.+?)(?: is| are| was|'s)(?: now| all| finally| already)? (?:done|finished|complete|completed|taken care of|sorted|handled)$`, 'iu') },
  { intent: 'complete', re: /^(?:done|finished|completed|complete|did it|all done|got it done|done and done|that's it)$/i },
  {
    intent: 'delete',
    re: new RegExp(`^(?:delete|remove|get rid of|drop|trash|erase|discard|cancel|scrap|scratch|ditch|bin|nuke|kill|forget about|forget|throw away|throw out)${E}(?: (.+))?$`, 'iu'),
  },
];

/** The first rule (of the given intents, in the order above) that the text matches. */
export function parseStatus(text: string, intents: ReadonlyArray<StatusIntent['intent']>): StatusIntent | undefined {
  for (const { intent, re } of RULES) {
    if (!intents.includes(intent)) continue;
    const m = re.exec(text);
    if (m) return { intent, ref: parseTaskRef(m[1] ?? '') } as StatusIntent;
  }
  return undefined;
}
