/**
 * When to try again: the reminder emails' schedule, and the ceilings of the Kafka consumers'
 * transient retries (common/consumerRetry.ts). When to try a failed reminder email again: exponential backoff with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"). Full jitter spreads the retries of
 * many emails that failed together (an SMTP outage) over the whole window instead of sending them
 * all back in one burst when the server returns.
 *
 * The default policy is issue 4's "up to 10 tries from 1 s to 512 s", read as 10 retries after
 * the first try: the waits before retries 1…10 have ceilings 1, 2, 4 … 512 s, each wait drawn
 * from [0, ceiling]. So 11 tries in all, and at most 1,023 s (about 17 minutes) of waiting.
 */

export interface RetryPolicy {
  /** Ceiling of the wait before the first retry. */
  baseMs: number;
  /** No ceiling grows beyond this. */
  capMs: number;
  /** Retries after a failed first try; the failure of the last retry is final. */
  maxRetries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1000, capMs: 512_000, maxRetries: 10 };

/** The largest wait after `failedAttempts` failed tries (1 → base, 2 → 2·base, …), at most cap. */
export function retryCeilingMs(failedAttempts: number, policy: RetryPolicy): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be an integer >= 1, got ${failedAttempts}`);
  // 2 ** 1024 is Infinity, so a huge attempt count still lands on the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** (failedAttempts - 1));
}

/** Tries in all that the policy allows: the first and its retries. */
export const maxTries = (policy: RetryPolicy): number => policy.maxRetries + 1;

/**
 * The wait before the next try after `failedAttempts` failed tries, uniform in [0, ceiling]; or
 * undefined when the retries are used up. `random` returns a number in [0, 1).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (failedAttempts > policy.maxRetries) return undefined;
  return Math.round(random() * retryCeilingMs(failedAttempts, policy));
}

/** Throws unless the policy can be used (from configuration, where any integer may arrive). */
export function checkRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (policy.baseMs < 1) throw new RangeError('NOTIFY_RETRY_BASE_MS must be at least 1');
  if (policy.capMs < policy.baseMs) throw new RangeError('NOTIFY_RETRY_CAP_MS must not be below NOTIFY_RETRY_BASE_MS');
  return policy;
}
