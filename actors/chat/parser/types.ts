/**
 * The result of parsing one chat message (POST /v1/chat). A discriminated union on `intent`; the
 * endpoint resolves task references, asks `clarify` questions and calls the actor.
 */
import type { TaskStatus } from '../../../common/tasks/task';

/** The priorities a message can set (the API's `none` is never said). */
export type Priority = 'urgent' | 'high' | 'medium' | 'low';

/** A task the message talks about: "it", "that one", "the last one", or words from its title. */
export type TaskRef = { kind: 'pronoun' } | { kind: 'text'; text: string };

/** An offset before the due time, an ISO 8601 duration (PT30M, PT1H, P1D, P1W). */
export interface BeforeReminder {
  before: string;
}

/** A fixed instant, RFC 3339 UTC (2026-11-24T08:00:00.000Z). */
export interface AtReminder {
  at: string;
}

export interface Recurrence {
  /** An RFC 5545 RRULE without DTSTART (the task's due is the series' start), e.g. FREQ=MONTHLY;BYMONTHDAY=1. */
  rule: string;
  /** 'due': the next occurrence follows the rule from the due date; 'completion': from when it was completed. */
  from: 'due' | 'completion';
}

export interface CreateIntent {
  intent: 'create';
  title: string;
  /** RFC 3339 UTC instant, or null when the message names no date or time. */
  due: string | null;
  /** The user's IANA zone (ctx.timezone): the task's zone for recurrence and reminders. */
  timezone: string;
  priority?: Priority;
  tags?: string[];
  recurrence?: Recurrence;
  reminders?: BeforeReminder[];
}

export interface ListFilter {
  status?: TaskStatus;
  priority?: Priority;
  tags?: string[];
  q?: string;
  overdue?: true;
  /** Exclusive upper bound (the API's `due < dueBefore`), RFC 3339 UTC. */
  dueBefore?: string;
  /** Inclusive lower bound (the API's `due >= dueAfter`), RFC 3339 UTC. */
  dueAfter?: string;
}

export interface ListIntent {
  intent: 'list';
  filter: ListFilter;
}

export interface RefIntent<I extends 'complete' | 'reopen' | 'delete'> {
  intent: I;
  ref: TaskRef;
}

export interface TaskChanges {
  title?: string;
  /** A new due (RFC 3339 UTC), or null to remove it. */
  due?: string | null;
  priority?: Priority;
  /** Tags to add to the task's tags (the message never removes tags). */
  tags?: string[];
  /** The task's reminders replaced by these ([] removes them all). */
  reminders?: BeforeReminder[];
}

export interface UpdateIntent {
  intent: 'update';
  ref: TaskRef;
  changes: TaskChanges;
}

export interface RemindIntent {
  intent: 'remind';
  ref: TaskRef;
  /** Reminders to add to the task. */
  reminders: Array<BeforeReminder | AtReminder>;
}

export interface HelpIntent {
  intent: 'help';
}

/** "Did my reminder go out?": how the reminders of a task (or the user's recent ones, `ref` null) were delivered. */
export interface DeliveryIntent {
  intent: 'delivery';
  ref: TaskRef | null;
}

/** Why a message was not understood; `detail` is an English sentence the endpoint may show. */
export type UnknownReason =
  | 'empty' // nothing but spaces or punctuation
  | 'too_long' // over MAX_MESSAGE_LENGTH characters
  | 'bad_context' // ctx.now is not a valid Date or ctx.timezone is not an IANA zone
  | 'missing_title' // "add tomorrow at 5pm": a task without words
  | 'missing_when' // "move the report", "remind me about the report": no date, time or offset
  | 'missing_change' // "change the report": nothing to change
  | 'not_understood'; // no command recognised

export interface UnknownIntent {
  intent: 'unknown';
  reason: UnknownReason;
  detail: string;
}

export type ParsedIntent =
  | CreateIntent
  | ListIntent
  | RefIntent<'complete'>
  | RefIntent<'reopen'>
  | RefIntent<'delete'>
  | UpdateIntent
  | RemindIntent
  | HelpIntent
  | DeliveryIntent
  | UnknownIntent;

export interface ParseContext {
  /** The current instant. */
  now: Date;
  /** The user's IANA time zone; dates and times in the message are read in it. */
  timezone: string;
}
