/**
 * The delivery loop of the subscriber process: claims due notifications (new ones and retries),
 * sends them, settles them. The Kafka consumer only records events and kicks this loop, so a
 * backoff never holds up a partition; the loop also wakes on its own every poll interval for
 * retries that have come due, and sweeps claims a dead process left behind.
 *
 * Sends overlap: up to `maxInFlight` claimed rows are being sent and settled at once (the SMTP
 * transport spreads them over its pooled connections), and the loop claims more as soon as half
 * of those slots are free, so a burst of reminders keeps every connection busy instead of waiting
 * for the slowest send of a batch. A row is claimed only when a slot is free for it, so a claim
 * never waits long in a queue (its lease, far longer, is for dead processes).
 */
import type { Pool } from 'pg';
import type { Logger } from '../../common/logger';
import { reminderDeliveryLateness, reminderEmailRetries, reminderEmailSendDuration, reminderEmailsFailed, reminderEmailsSent } from '../../common/metrics';
import type { RetryPolicy } from '../../common/backoff';
import type { DeadLetters } from '../../common/deadLetters';
import { TOPICS } from '../../common/events/envelope';
import { abandonedOutcome, attemptDelivery, type Outcome, type SendFn } from './deliveryPolicy';
import { claimAbandoned, claimDue, type ClaimedNotification } from './notificationStore';
import { Settlements } from './settlements';
import { renderReminderEmail } from './renderEmail';
import { contextOfTraceId, currentTraceparent, inSpan, SpanKind } from '../../common/traceContext';

export interface WorkerOptions {
  policy: RetryPolicy;
  /** A reminder older than this at its first try expires unsent (NOTIFY_MAX_AGE_MS); 0: no limit. */
  maxAgeMs: number;
  pollIntervalMs: number;
  publicBaseUrl: string;
  /** Rows being sent and settled at once. */
  maxInFlight?: number;
  /** A 'sending' claim older than this belongs to a dead process; well above the SMTP timeouts. */
  claimLeaseMs?: number;
}

export const DEFAULT_CLAIM_LEASE_MS = 5 * 60_000;
export const DEFAULT_MAX_IN_FLIGHT = 100;

export class NotificationWorker {
  private stopped = false;
  private kicked = false;
  /** Set while the loop sleeps: a kick or a stop ends the sleep. */
  private wake: (() => void) | undefined;
  /** Set while the loop waits for free slots: called whenever a send has settled. */
  private onSettled: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private lastSweep = 0;
  private readonly settlements: Settlements;

  constructor(
    private readonly pool: Pool,
    private readonly send: SendFn,
    private readonly deadLetters: DeadLetters,
    private readonly opts: WorkerOptions,
    private readonly log: Logger,
  ) {
    this.settlements = new Settlements(pool);
  }

  private get maxInFlight(): number {
    return this.opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** New work may be due: claim now instead of at the next poll. Never throws. */
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
      const free = this.maxInFlight - this.inFlight.size;
      let claimed = 0;
      try {
        if (Date.now() - this.lastSweep >= this.opts.pollIntervalMs) {
          this.lastSweep = Date.now();
          await this.sweepAbandoned();
        }
        if (free > 0) claimed = await this.claimAndStart(free);
      } catch (err) {
        this.log.warn('notification pass failed; retrying at the next poll', { err: String(err) });
      }
      if (this.stopped) break;
      if (claimed === free) {
        // Every slot is taken and more may be due: claim again once half the slots are free.
        await this.sleep(this.opts.pollIntervalMs, () => this.inFlight.size <= this.maxInFlight / 2);
      } else if (!this.kicked) {
        // Nothing more is due now: wait for the consumer's kick or the next poll.
        await this.sleep(this.opts.pollIntervalMs);
      }
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Resolves after `ms`, or sooner on a stop, or, given `slotsFree`, as soon as it holds after a
   * send settles; without it, on a kick. (A kick while the slots are taken is remembered in
   * `kicked` and acted on when they are free.)
   */
  private sleep(ms: number, slotsFree?: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = undefined;
        this.onSettled = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = () => {
        if (this.stopped || !slotsFree) done();
      };
      if (slotsFree) {
        this.onSettled = () => {
          if (slotsFree()) done();
        };
      }
    });
  }

  /** Settles claims whose process died mid-send: final, never sent again (at most once). */
  private async sweepAbandoned(): Promise<void> {
    const abandoned = await claimAbandoned(this.pool, this.opts.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS, this.maxInFlight);
    for (const n of abandoned) await this.finish(n, abandonedOutcome(n.attempts, new Date()));
  }

  /** Claims up to `limit` due rows and starts sending each; returns how many were claimed. */
  private async claimAndStart(limit: number): Promise<number> {
    const due = await claimDue(this.pool, limit);
    for (const n of due) {
      const p: Promise<void> = this.deliver(n)
        .catch((err) => {
          this.log.error('reminder delivery failed unexpectedly; the claim is left to the sweep', { eventId: n.eventId, err: String(err) });
        })
        .finally(() => {
          this.inFlight.delete(p);
          this.onSettled?.();
        });
      this.inFlight.add(p);
    }
    return due.length;
  }

  /** One try, as a span of the reminder's trace (the firing's, common/traceContext.ts contextOfTraceId). */
  private deliver(n: ClaimedNotification): Promise<void> {
    return inSpan('send reminder email', SpanKind.CLIENT, contextOfTraceId(n.event.traceId, n.eventId), { 'todo.attempt': n.attempts + 1 }, () => this.deliverNow(n));
  }

  private async deliverNow(n: ClaimedNotification): Promise<void> {
    const { data } = n.event;
    const outcome = await attemptDelivery({
      recipient: n.recipient,
      failedAttempts: n.attempts,
      firedAt: new Date(data.firedAt),
      replayed: n.replayed,
      render: () => renderReminderEmail({ task: data.task, fireAt: data.fireAt, firedAt: data.firedAt, timezone: data.timezone, publicBaseUrl: this.opts.publicBaseUrl }),
    }, { send: this.timedSend, policy: this.opts.policy, maxAgeMs: this.opts.maxAgeMs, now: () => new Date() });
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
        await this.deadLetters.send(TOPICS.reminders, [{ key: n.userId, value: JSON.stringify(n.event), reason: outcome.reason, partition: n.sourcePartition, offset: n.sourceOffset, attempts: outcome.attempts }]);
      }
      // Settled with the other outcomes of the moment, in one transaction (settlements.ts).
      if (!(await this.settlements.settle({ n, outcome, traceparent: currentTraceparent() ?? null }))) {
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
