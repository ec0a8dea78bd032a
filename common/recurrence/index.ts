/**
 * The recurrence and reminder-time engine: pure functions, no I/O. See README.md for the policies.
 */
export { LIMITS } from './limits';
export { InvalidRecurrenceError, RecurrenceLimitError } from './errors';
export type { WallClock } from './wallClock';
export {
  instantToWallClock, isKnownTimeZone, resolveWallClock, wallClockToInstant, wallClockToInstantCompatible, zoneOffsetMs,
  type WallClockResolution,
} from './zonedTime';
export { parseRule, validateRecurrence, type FieldError, type RecurrenceRule, type RecurrenceValidation } from './rule';
export { nextOccurrence, occurrencesBetween, type Occurrence, type SeriesInput } from './expand';
export { nextDue, planNextOccurrence, type CompletedOccurrence, type NextDue } from './nextDue';
export { fireTimeBefore, parseIsoDuration, reminderTimes, type IsoDuration, type ReminderFire, type ReminderSpec } from './reminderTimes';
