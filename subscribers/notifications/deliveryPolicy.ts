/**
 * One try at delivering a reminder email, and the state it leaves the notification in. Pure apart
 * from the `send` function it is given, so the whole retry state machine is unit-tested with a fake
 * transport; the worker only stores the outcome.
 */
import { retryDelayMs, type RetryPolicy } from '../../common/backoff';
import { isSingleAddress } from '../../common/validation';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one email; resolves when the SMTP server accepted it, rejects otherwise. */
export type SendFn = (mail: OutgoingMail) => Promise<{ acceptedAt: Date }>;

export type Outcome =
  | { status: 'sent'; attempts: number; sentAt: Date }
  | { status: 'pending'; attempts: number; nextAttemptAt: Date; error: string }
  | { status: 'failed'; attempts: number; reason: string; failedAt: Date; kind: FailureKind; deadLetter: boolean };

export type FailureKind = 'no_address' | 'invalid_address' | 'expired' | 'rejected' | 'attempts_exhausted' | 'outcome_unknown';

export interface Attempt {
  recipient: string | null;
  /** Tries that already failed before this one. */
  failedAttempts: number;
  /** When the actor emitted the reminder.due (its data.firedAt): the age of the reminder. */
  firedAt: Date;
  render: () => { subject: string; text: string };
  /** An operator replayed the reminder: it is sent whatever its age. */
  replayed?: boolean;
}

export interface AttemptDeps {
  send: SendFn;
  policy: RetryPolicy;
  /** A reminder older than this at its first try is not sent (expired); 0: no limit. */
  maxAgeMs: number;
  now: () => Date;
  random?: () => number;
}

export const NO_ADDRESS = 'no address';
export const INVALID_ADDRESS = 'invalid address';
export const EXPIRED = 'expired';

/**
 * An SMTP answer that no retry can change: a 5xx reply (RFC 5321 §4.2.1, "permanent negative
 * completion"), such as 550 mailbox unavailable or 553 mailbox name not allowed. Connection errors,
 * timeouts and 4xx replies are transient.
 */
export function isPermanentRefusal(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code <= 599;
}

/**
 * One try, or none:
 * - no usable address: final at once, without a dead letter (retrying cannot make one appear);
 * - a first try more than `maxAgeMs` after the reminder fired: final as "expired", unsent, without
 *   a dead letter (an old event read again, say by a new consumer group; a reminder hours late is noise);
 * - a permanent SMTP refusal (5xx): final at once, dead-lettered;
 * - any other failure: retried after the backoff delay until the policy's retries are used up;
 *   the last failure is final and dead-lettered.
 */
export async function attemptDelivery(a: Attempt, deps: AttemptDeps): Promise<Outcome> {
  if (!a.recipient) {
    return { status: 'failed', attempts: a.failedAttempts, reason: NO_ADDRESS, failedAt: deps.now(), kind: 'no_address', deadLetter: false };
  }
  if (!isSingleAddress(a.recipient)) {
    return { status: 'failed', attempts: a.failedAttempts, reason: INVALID_ADDRESS, failedAt: deps.now(), kind: 'invalid_address', deadLetter: false };
  }
  if (a.failedAttempts === 0 && !a.replayed && deps.maxAgeMs > 0 && deps.now().getTime() - a.firedAt.getTime() > deps.maxAgeMs) {
    return { status: 'failed', attempts: 0, reason: EXPIRED, failedAt: deps.now(), kind: 'expired', deadLetter: false };
  }
  const attempts = a.failedAttempts + 1;
  try {
    const { acceptedAt } = await deps.send({ to: a.recipient, ...a.render() });
    return { status: 'sent', attempts, sentAt: acceptedAt };
  } catch (err) {
    const error = describeError(err);
    const now = deps.now();
    if (isPermanentRefusal(err)) {
      return { status: 'failed', attempts, reason: `refused by the SMTP server: ${error}`, failedAt: now, kind: 'rejected', deadLetter: true };
    }
    const delay = retryDelayMs(attempts, deps.policy, deps.random);
    if (delay === undefined) {
      return { status: 'failed', attempts, reason: `gave up after ${attempts} tries: ${error}`, failedAt: now, kind: 'attempts_exhausted', deadLetter: true };
    }
    return { status: 'pending', attempts, nextAttemptAt: new Date(now.getTime() + delay), error };
  }
}

/**
 * The outcome of a claim whose process died mid-send: SMTP may or may not have accepted the email.
 * Final, never retried: this subscriber delivers at most once (README.md in this folder).
 */
export function abandonedOutcome(failedAttempts: number, now: Date): Outcome {
  return {
    status: 'failed', attempts: failedAttempts + 1, failedAt: now, kind: 'outcome_unknown', deadLetter: true,
    reason: 'outcome unknown: the subscriber stopped while sending; not retried, to never send twice',
  };
}

function describeError(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const code = [e?.code, e?.responseCode].filter((x) => x !== undefined).join(' ');
  return (code ? `${code}: ${msg}` : msg).slice(0, 1000);
}
