/**
 * Questions about whether reminders went out:
 *
 *   did my reminder go out?                      → delivery (every recent reminder)
 *   was the reminder for X sent? / did the reminder about X go out / did my X reminder get sent
 *   did you send (me) my reminder (for X)? / did I get (reminded|my reminder) (about X)?
 *   were my reminders delivered? / did the reminder email fail?
 *   reminder status (for X) / delivery status
 * `ref` is null for the user's recent reminders, or the words naming a task.
 */
import { parseTaskRef } from './taskRef';
import type { DeliveryIntent } from './types';

const NOUN = '(?:reminders?|reminder e-?mails?|reminder notifications?|e-?mails?|notifications?|alerts?)';
const DELIVERED = '(?:go(?:ne)? out|went out|get sent|got sent|been sent|sent|get delivered|got delivered|been delivered|delivered|arrive|arrived|come through|get through|go through|work|worked|fail|failed|bounce|bounced)';
const OWNER = '(?:(?:my|the|your|a|any|our|that|this) )?(?:last |latest |recent )?';
const ABOUT = '(?:for|about|of|on|regarding)';

const RULES: RegExp[] = [
  // did my reminder (for X) go out (for X)?
  new RegExp(`^(?:did|has|have|was|were|is|are) ${OWNER}${NOUN}(?: ${ABOUT} (.+?))? ${DELIVERED}(?: (?:yet|already|ok|okay|alright|properly|at all))?(?: ${ABOUT} (.+?))?$`, 'iu'),
  // did my X reminder go out?
  new RegExp(`^(?:did|has|have|was|were|is|are) (?:my|the) (.+?) ${NOUN} ${DELIVERED}(?: (?:yet|already|ok|okay|properly))?$`, 'iu'),
  // did you send (me) my reminder (for X)?
  new RegExp(`^(?:did|have) you (?:send|sent|e-?mail|deliver)(?: me)? ${OWNER}${NOUN}(?: ${ABOUT} (.+?))?(?: (?:yet|already))?$`, 'iu'),
  // did I get my reminder (about X) / did I get reminded about X
  new RegExp(`^(?:did|have) i (?:get|got|receive|received)(?: ${OWNER}${NOUN}| reminded)(?: ${ABOUT} (.+?))?(?: (?:yet|already))?$`, 'iu'),
  // reminder status (for X)
  new RegExp(`^(?:reminder|reminders|delivery|email|e-mail) (?:delivery )?status(?: ${ABOUT} (.+?))?$`, 'iu'),
];

export function parseDelivery(text: string): DeliveryIntent | undefined {
  for (const re of RULES) {
    const m = re.exec(text);
    if (!m) continue;
    const words = m.slice(1).find((g) => g !== undefined && g.trim() !== '');
    return { intent: 'delivery', ref: words === undefined ? null : parseTaskRef(words) };
  }
  return undefined;
}
