/** The chat parser's public API (pure: no I/O). See README.md. */
export { parseMessage } from './parseMessage';
export { matchTasks, type TaskSummary, type MatchOptions } from './matchTasks';
export { warmUp } from './warmUp';
export { MAX_MESSAGE_LENGTH } from './normalize';
export type {
  ParsedIntent, ParseContext, CreateIntent, ListIntent, ListFilter, RefIntent, UpdateIntent, TaskChanges, RemindIntent,
  HelpIntent, DeliveryIntent, UnknownIntent, UnknownReason, TaskRef, Priority, Recurrence, BeforeReminder, AtReminder,
} from './types';
