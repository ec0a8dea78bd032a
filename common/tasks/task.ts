/** The task as clients see it (docs/API.md, "A task") and as the tasks table stores it. */
export const TASK_STATUSES = ['open', 'completed'] as const;
export const TASK_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface Recurrence {
  rule: string;
  from: 'due' | 'completion';
}

/** How a reminder's last email went (read from the notifications table when a task is read; never stored on the task). */
export interface LastDelivery {
  status: 'sent' | 'failed';
  at: string;
  reason?: string;
}

export type Reminder = ({ id: string; before: string } | { id: string; at: string }) & { lastDelivery?: LastDelivery };

export interface Task {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  tags: string[];
  due: string | null;
  timezone: string;
  recurrence: Recurrence | null;
  reminders: Reminder[];
  seriesId: string | null;
  occurrence: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
}

/** What a client may send to create a task (validated by schemas/task-create.json). */
export interface TaskCreateInput {
  title: string;
  description?: string;
  priority?: TaskPriority;
  tags?: string[];
  due?: string | null;
  timezone?: string;
  recurrence?: Recurrence | null;
  reminders?: Array<{ id?: string; before?: string; at?: string }>;
}

/** A row of the tasks table, as pg returns it. */
export interface TaskRow {
  user_id: string;
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  tags: string[];
  due: Date | null;
  timezone: string;
  recurrence: Recurrence | null;
  reminders: Reminder[];
  series_id: string | null;
  occurrence: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  version: number;
}

export function taskFromRow(r: TaskRow): Task {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    tags: r.tags,
    due: r.due ? r.due.toISOString() : null,
    timezone: r.timezone,
    recurrence: r.recurrence,
    reminders: r.reminders,
    seriesId: r.series_id,
    occurrence: r.occurrence,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    version: r.version,
  };
}
