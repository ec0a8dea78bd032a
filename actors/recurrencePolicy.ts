/**
 * How the actor asks the recurrence engine (common/recurrence) for a series' next occurrence and
 * checks a rule. INTERIM: until the engine lands, rules are only parsed and no next occurrence is
 * planned.
 */
import { RRule } from 'rrule';
import type { CheckRecurrence, PlanNextOccurrence } from './taskCommands';

export const checkRecurrence: CheckRecurrence = (rule) => {
  try {
    RRule.parseString(rule);
    return [];
  } catch (err) {
    return [{ field: 'recurrence.rule', message: `is not an RFC 5545 RRULE: ${(err as Error).message}` }];
  }
};

export const planNext: PlanNextOccurrence = () => null;
