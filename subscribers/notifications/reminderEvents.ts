/** The reminder.due payload as common/events/schemas/reminder.due.json defines it. */
import type { Task } from '../../common/tasks/task';

export interface ReminderDueData {
  reminderId: string;
  occurrence: number;
  fireAt: string;
  firedAt: string;
  task: Task;
  email: string | null;
  timezone: string;
}

export const NOTIFICATIONS_GROUP = 'notifications';
