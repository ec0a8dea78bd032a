/** The `unknown` intent with an English explanation the endpoint can show or rephrase. */
import type { UnknownIntent, UnknownReason } from './types';
import { MAX_MESSAGE_LENGTH } from './normalize';

const DETAILS: Record<UnknownReason, string> = {
  empty: 'The message is empty.',
  too_long: `The message is longer than ${MAX_MESSAGE_LENGTH} characters.`,
  bad_context: 'The current time or the time zone is not valid.',
  missing_title: 'The task has no title: say what to do, e.g. "add buy milk tomorrow at 5pm".',
  missing_when: 'No date, time or offset was given, e.g. "tomorrow at 9am" or "1 hour before".',
  missing_change: 'Nothing to change was given, e.g. "rename X to Y", "move X to friday", "make X high priority".',
  not_understood: 'Try "add buy milk tomorrow at 5pm", "what\'s overdue?", "mark it as done" or "help".',
};

export const unknown = (reason: UnknownReason, detail?: string): UnknownIntent => ({ intent: 'unknown', reason, detail: detail ?? DETAILS[reason] });
