/** The shapes the page reads from the REST API and the device stream (the API's task and event JSON). */
export type Priority = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];

export type Reminder = { id: string; before: string } | { id: string; at: string };

export interface Task {
  id: string;
  title: string;
  description: string;
  status: 'open' | 'completed';
  priority: Priority;
  tags: string[];
  due: string | null;
  timezone: string;
  recurrence: { rule: string; from: 'due' | 'completion' } | null;
  reminders: Reminder[];
  seriesId: string | null;
  occurrence: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
}

export interface StreamEvent {
  eventId: string;
  type: string;
  time: string;
  userId: string;
  taskId: string;
  data: { task?: Task; taskVersion?: number; fireAt?: string; reminderId?: string; timezone?: string };
}

export type ControlFrame =
  | { type: 'stream.replayed'; count: number; lastEventId: string | null }
  | { type: 'stream.resync'; reason: string; message: string };

export interface ChatReply {
  reply: string;
  intent: string;
  tasks: Task[];
}
