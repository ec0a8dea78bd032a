/** How the actor asks the recurrence engine (common/recurrence) to check a rule and plan a series' next occurrence, timed. */
import { planNextOccurrence, validateRecurrence } from '../common/recurrence';
import { recurrenceEvaluationDuration } from '../common/metrics';
import type { CheckRecurrence, PlanNextOccurrence } from './taskCommands';

function timed<A extends unknown[], R>(operation: 'check' | 'plan_next', fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const end = recurrenceEvaluationDuration.startTimer({ operation });
    try {
      return fn(...args);
    } finally {
      end();
    }
  };
}

export const checkRecurrence: CheckRecurrence = timed('check', (rule, due, zone) => {
  const v = validateRecurrence(rule, due, zone);
  return v.ok ? [] : v.details;
});

export const planNext: PlanNextOccurrence = timed('plan_next', (task, completedAt) => planNextOccurrence(task, completedAt));
