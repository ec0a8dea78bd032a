/** The two ways an engine call can fail, as classes the caller can tell apart. */

/**
 * The rule (or its combination with the series' start or zone) is not one the engine accepts.
 * validateRecurrence reports the same problems as field errors; this is thrown only when a caller
 * expands a rule it did not validate first.
 */
export class InvalidRecurrenceError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid recurrence: ${problems.join('; ')}`);
    this.name = 'InvalidRecurrenceError';
  }
}

/**
 * The call hit one of LIMITS before it could answer: the rule matches too rarely (or never) for the
 * engine to find its next occurrence within the work one call may do. Not the same as "the series
 * has ended", which is a null result.
 */
export class RecurrenceLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecurrenceLimitError';
  }
}
