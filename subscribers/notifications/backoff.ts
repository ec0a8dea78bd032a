/**
 * When to try a failed reminder email again: exponential backoff with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"). Full jitter spreads the retries of
 * many emails that failed together (an SMTP outage) over the whole window instead of sending them
 * all back in one burst when the server returns.
 */

export interface RetryPolicy {
  /** Ceiling of the delay after the first failed try. */
  baseMs: number;
  /** No ceiling grows beyond this. */
  capMs: number;
  /** Tries in all, the first included; the last failure is final. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1000, capMs: 512_000, maxAttempts: 10 };

/** The largest delay after `failedAttempts` failed tries (1 → base, 2 → 2·base, …), at most cap. */
export function retryCeilingMs(failedAttempts: number, policy: RetryPolicy): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be an integer >= 1, got ${failedAttempts}`);
  // 2 ** 1024 is Infinity, so a huge attempt count still lands on the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** (failedAttempts - 1));
}

/**
 * The delay before the next try after `failedAttempts` failed tries, uniform in [0, ceiling]; or
 * undefined when that was the last try the policy allows. `random` returns a number in [0, 1).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (failedAttempts >= policy.maxAttempts) return undefined;
  return Math.round(random() * retryCeilingMs(failedAttempts, policy));
}

/** Throws unless the policy can be used (from configuration, where any integer may arrive). */
export function checkRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (policy.maxAttempts < 1) throw new RangeError('NOTIFY_MAX_ATTEMPTS must be at least 1');
  if (policy.capMs < policy.baseMs) throw new RangeError('NOTIFY_RETRY_CAP_MS must not be below NOTIFY_RETRY_BASE_MS');
  return policy;
}
