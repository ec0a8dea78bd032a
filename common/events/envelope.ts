/** The event envelope of CONTRACT.md §5, and the topics events travel on. */
import { randomUUID } from 'node:crypto';

export const TOPICS = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  taskUpdates: 'task-updates',
} as const;

/** Dead-letter topic of each topic: where consumers put what they cannot process, with the reason. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlt`;
}

export const ALL_TOPICS: readonly string[] = Object.values(TOPICS).flatMap((t) => [t, deadLetterTopic(t)]);

export type TaskEventType = 'task.created' | 'task.updated' | 'task.completed' | 'task.reopened' | 'task.deleted';
export type ReminderEventType = 'reminder.due' | 'reminder.sent' | 'reminder.failed';
export type EventType = TaskEventType | ReminderEventType;

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
  if (traceId) e.traceId = traceId;
  return e;
}

/** The topic an event type is published to. */
export function topicOf(type: EventType): string {
  return type.startsWith('reminder.') ? TOPICS.reminders : TOPICS.taskEvents;
}
