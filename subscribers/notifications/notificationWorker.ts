/**
 * The delivery loop of the subscriber process: claims due notifications (new ones and retries),
 * sends them, settles them. The Kafka consumer only records events and kicks this loop, so a
 * backoff never holds up a partition; the loop also wakes on its own every poll interval for
 * retries that have come due, and sweeps claims a dead process left behind.
 */
import type { Pool } from 'pg';
import type { Logger } from '../../common/logger';
import { reminderDeliveryLateness, reminderEmailRetries, reminderEmailSendDuration, reminderEmailsFailed, reminderEmailsSent } from '../../common/metrics';
import type { RetryPolicy } from './backoff';
import type { DeadLetters } from '../../common/deadLetters';
import { TOPICS } from '../../common/events/envelope';
import { abandonedOutcome, attemptDelivery, type Outcome, type SendFn } from './deliveryPolicy';
import { claimAbandoned, claimDue, settle, type ClaimedNotification } from './notificationStore';
import { renderReminderEmail } from './renderEmail';

export interface WorkerOptions {
  policy: RetryPolicy;
  pollIntervalMs: number;
  publicBaseUrl: string;
  /** Rows claimed (and sent concurrently) per pass. */
  batchSize?: number;
  /** A 'sending' claim older than this belongs to a dead process; well above the SMTP timeouts. */
  claimLeaseMs?: number;
}

export const DEFAULT_CLAIM_LEASE_MS = 5 * 60_000;

export class NotificationWorker {
  private stopped = false;
  private kicked = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly send: SendFn,
    private readonly deadLetters: DeadLetters,
    private readonly opts: WorkerOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** New work may be due: run a pass now instead of at the next poll. Never throws. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Finishes the sends under way (so none is left 'sending'), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.kicked = false;
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.log.warn('notification pass failed; retrying at the next poll', { err: String(err) });
      }
      // A full batch may mean more is due: go again at once.
      if (handled < (this.opts.batchSize ?? 10) && !this.kicked && !this.stopped) await this.sleep(this.opts.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  /** One pass: settles abandoned claims, then sends what is due. Returns the rows handled. */
  async runOnce(): Promise<number> {
    const batch = this.opts.batchSize ?? 10;
    const abandoned = await claimAbandoned(this.pool, this.opts.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS, batch);
    for (const n of abandoned) await this.finish(n, abandonedOutcome(n.attempts, new Date()));
    const due = await claimDue(this.pool, batch);
    await Promise.all(due.map((n) => this.deliver(n)));
    return abandoned.length + due.length;
  }

  private async deliver(n: ClaimedNotification): Promise<void> {
    const { data } = n.event;
    const outcome = await attemptDelivery({
      recipient: n.recipient,
      failedAttempts: n.attempts,
      render: () => renderReminderEmail({ task: data.task, fireAt: data.fireAt, timezone: data.timezone, publicBaseUrl: this.opts.publicBaseUrl }),
    }, { send: this.timedSend, policy: this.opts.policy, now: () => new Date() });
    await this.finish(n, outcome);
  }

  private readonly timedSend: SendFn = async (mail) => {
    const end = reminderEmailSendDuration.startTimer();
    try {
      const r = await this.send(mail);
      end({ outcome: 'accepted' });
      return r;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  };

  /**
   * Dead-letters a final failure before recording it: if the process dies in between, the row is
   * swept and dead-lettered again (a duplicate in the DLT, never a missing one).
   */
  private async finish(n: ClaimedNotification, outcome: Outcome): Promise<void> {
    const log = this.log.child({ userId: n.userId, taskId: n.taskId, eventId: n.eventId, reminderId: n.reminderId, traceId: n.event.traceId });
    try {
      if (outcome.status === 'failed' && outcome.deadLetter) {
        await this.deadLetters.send(TOPICS.reminders, [{ key: n.userId, value: JSON.stringify(n.event), reason: outcome.reason }]);
      }
      if (!(await settle(this.pool, n, outcome))) {
        log.warn('notification claim lost before its outcome was recorded (the sweep took it)', { status: outcome.status });
        return;
      }
    } catch (err) {
      // The row stays claimed; after the lease the sweep settles it as outcome unknown.
      log.error('could not record the outcome of a reminder email', { status: outcome.status, err: String(err) });
      return;
    }
    switch (outcome.status) {
      case 'sent':
        reminderEmailsSent.inc();
        reminderDeliveryLateness.observe(Math.max(0, (outcome.sentAt.getTime() - Date.parse(n.event.data.fireAt)) / 1000));
        log.info('reminder email sent', { attempts: outcome.attempts });
        break;
      case 'pending':
        reminderEmailRetries.inc();
        log.warn('reminder email failed; will retry', { attempts: outcome.attempts, nextAttemptAt: outcome.nextAttemptAt.toISOString(), err: outcome.error });
        break;
      case 'failed':
        reminderEmailsFailed.inc({ reason: outcome.kind });
        log.warn('reminder email given up', { attempts: outcome.attempts, reason: outcome.reason, deadLettered: outcome.deadLetter });
        break;
    }
  }
}
