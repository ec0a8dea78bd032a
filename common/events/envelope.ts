/** The event envelope (docs/API.md, "Events"), and the topics events travel on. */
import { randomUUID } from 'node:crypto';
import { currentTraceId } from '../traceContext';

/**
 * task-events and reminders carry each event once, by type; the audit and the notifications read
 * them. task-updates is the device sync feed ("what devices need to sync", common/events/README.md): a copy
 * of every event, sent after its copy on the type's topic was acknowledged, so one user's task and
 * reminder events arrive in one order, the user's commit order (common/events/README.md).
 */
export const TOPICS = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  taskUpdates: 'task-updates',
} as const;

/** Kafka header on every published event: its outbox seq, the event's position in its user's order. */
export const SEQ_HEADER = 'outbox-seq';

/** Dead-letter topic of each topic: where consumers put what they cannot process, with the reason. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlt`;
}

/**
 * Where an operator's replay of a dead letter goes (subscribers/deadLetters/README.md): written
 * only by the subscribers and read only by their consumer groups (audit, notifications), each
 * acting on the messages marked for it. Never the event topics themselves: only the actor host
 * writes those (common/kafkaAcls.ts), so no other service's Kafka user can put an event before
 * another service's consumers (a forged reminder.due is an email to any address; a forged
 * task-updates event reaches every device).
 */
export const REPLAY_TOPIC = 'dead-letter-replays';

export const ALL_TOPICS: readonly string[] = [...Object.values(TOPICS).flatMap((t) => [t, deadLetterTopic(t)]), REPLAY_TOPIC];

export type TaskEventType = 'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted';
export type ReminderEventType = 'reminder.due' | 'reminder.sent' | 'reminder.failed';
/** Events about the user as a whole (DELETE /v1/me, GET /v1/me/export): their taskId is USER_EVENT_TASK_ID. */
export type UserEventType = 'user.erased' | 'user.exported';
export type EventType = TaskEventType | ReminderEventType | UserEventType;

/** The taskId of a user-level event: every task of the user. */
export const USER_EVENT_TASK_ID = '*';

export interface EventEnvelope<D = Record<string, unknown>> {
  eventId: string;
  type: EventType;
  version: string;
  time: string;
  userId: string;
  taskId: string;
  traceId?: string;
  data: D;
}

export const CURRENT_EVENT_VERSION = '1.0';

export function buildEvent<D>(type: EventType, userId: string, taskId: string, data: D, time: Date, traceId?: string): EventEnvelope<D> {
  const e: EventEnvelope<D> = { eventId: randomUUID(), type, version: CURRENT_EVENT_VERSION, time: time.toISOString(), userId, taskId, data };
  const trace = traceId ?? currentTraceId(); // the request's, or the reminder firing's, trace
  if (trace) e.traceId = trace;
  return e;
}

/** The topic an event type is published to (user-level events travel with the task events, in the user's order). */
export function topicOf(type: EventType): string {
  return type.startsWith('reminder.') ? TOPICS.reminders : TOPICS.taskEvents;
}
