/** How the actor asks the recurrence engine (common/recurrence) to check a rule and plan a series' next occurrence. */
import { planNextOccurrence, validateRecurrence } from '../common/recurrence';
import type { CheckRecurrence, PlanNextOccurrence } from './taskCommands';

export const checkRecurrence: CheckRecurrence = (rule, due, zone) => {
  const v = validateRecurrence(rule, due, zone);
  return v.ok ? [] : v.details;
};

export const planNext: PlanNextOccurrence = (task, completedAt) => planNextOccurrence(task, completedAt);
