/**
 * One Prometheus registry per process, with Node's default metrics and the service label.
 * Each service registers its own metrics on it and serves it at GET /metrics.
 */
import client from 'prom-client';
import type { Request, Response } from 'express';

export const registry = new client.Registry();
let initialised = false;

export function initMetrics(service: string): client.Registry {
  if (!initialised) {
    registry.setDefaultLabels({ service });
    client.collectDefaultMetrics({ register: registry });
    initialised = true;
  }
  return registry;
}

export async function metricsHandler(_req: Request, res: Response): Promise<void> {
  res.set('Content-Type', registry.contentType);
  res.end(await registry.metrics());
}

export const httpRequestDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests served, by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const eventsPublished = new client.Counter({
  name: 'events_published_total',
  help: 'events published to Kafka from the outbox, by their topic (task-events, reminders) and event type; the copy each also gets on task-updates is not counted again',
  labelNames: ['topic', 'type'] as const,
  registers: [registry],
});

export const outboxPending = new client.Gauge({
  name: 'outbox_pending_events',
  help: 'outbox rows older than a second and not yet published to Kafka, as last counted by the relay',
  registers: [registry],
});

export const consumerRetries = new client.Counter({
  name: 'consumer_retries_total',
  help: 'tries of a Kafka message (or batch) that failed and are retried, by consumer group (sync for every device-stream group), topic and kind of failure (transient: retried without end; unknown: on the retry schedule)',
  labelNames: ['group', 'topic', 'kind'] as const,
  registers: [registry],
});

export const deadLettersReceived = new client.Counter({
  name: 'dead_letters_received_total',
  help: 'messages arriving on a dead-letter topic (read by the dead-letter index), by dead-letter topic and the consumer group that gave up (sync for every device-stream group)',
  labelNames: ['topic', 'group'] as const,
  registers: [registry],
});

export const eventsConsumed = new client.Counter({
  name: 'events_consumed_total',
  help: 'events consumed from Kafka, by consumer group, topic and outcome',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [registry],
});

export const reminderFireLateness = new client.Histogram({
  name: 'reminder_fire_lateness_seconds',
  help: 'how long after its scheduled time a reminder was handled by the actor',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const reminderEmailsSent = new client.Counter({
  name: 'reminder_emails_sent_total',
  help: 'reminder emails the SMTP server accepted',
  registers: [registry],
});

export const reminderEmailsFailed = new client.Counter({
  name: 'reminder_emails_failed_total',
  help: 'reminders given up on, by reason: no_address, invalid_address, expired, rejected (a permanent SMTP 5xx), attempts_exhausted, outcome_unknown',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const reminderEmailRetries = new client.Counter({
  name: 'reminder_email_retries_scheduled_total',
  help: 'failed reminder email tries that were scheduled for another try',
  registers: [registry],
});

export const reminderEmailSendDuration = new client.Histogram({
  name: 'reminder_email_send_duration_seconds',
  help: 'one SMTP send of a reminder email, by outcome (accepted, error)',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const reminderDeliveryLateness = new client.Histogram({
  name: 'reminder_delivery_lateness_seconds',
  help: 'time from a reminder\'s scheduled fireAt to the SMTP server accepting its email',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  registers: [registry],
});

/** The reasons reminder_emails_failed_total is broken down by (subscribers/notifications FailureKind). */
export const REMINDER_FAILURE_REASONS = ['no_address', 'invalid_address', 'attempts_exhausted', 'outcome_unknown'] as const;
// Every reason's series exists from the start at 0, so failure ratios and alerts work before the first failure.
for (const reason of REMINDER_FAILURE_REASONS) reminderEmailsFailed.inc({ reason }, 0);

export const remindersPending = new client.Gauge({
  name: 'reminders_pending',
  help: 'reminders registered and not fired yet (reminder_schedule rows in state active), as last counted by the actor host',
  registers: [registry],
});

export const actorsActive = new client.Gauge({
  name: 'actors_active',
  help: 'actors active in this actor host: activated by Dapr and not deactivated since',
  registers: [registry],
});

export const actorActivationDuration = new client.Histogram({
  name: 'actor_activation_duration_seconds',
  help: 'activating one actor in this host (the SDK\'s state reset, onActivate and state save), before its first call runs',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

export const recurrenceOccurrencesCreated = new client.Counter({
  name: 'recurrence_occurrences_created_total',
  help: 'next occurrences of recurring tasks created, each when its predecessor was completed',
  registers: [registry],
});
recurrenceOccurrencesCreated.inc(0);

export const recurrenceEvaluationDuration = new client.Histogram({
  name: 'recurrence_evaluation_duration_seconds',
  help: 'evaluating a recurrence rule: checking a new or changed rule (operation check) or planning the next occurrence of a completed task (operation plan_next)',
  labelNames: ['operation'] as const,
  buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
  registers: [registry],
});
for (const operation of ['check', 'plan_next'] as const) recurrenceEvaluationDuration.zero({ operation });

/** Runs fn, timed as a recurrence evaluation of that kind; untimed when there is none (a task that does not recur). */
export function timedRecurrence<T>(operation: 'check' | 'plan_next' | undefined, fn: () => T): T {
  if (!operation) return fn();
  const end = recurrenceEvaluationDuration.startTimer({ operation });
  try {
    return fn();
  } finally {
    end();
  }
}

/** A PostgreSQL pool as the metrics see it (pg's Pool has these counters). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

const pools = new Map<string, PoolCounts>();

/** Reports this pool's connections and waiting clients at every scrape, labelled pool=<name>. */
export function trackPool(name: string, pool: PoolCounts): void {
  pools.set(name, pool);
}

export const dbPoolConnections = new client.Gauge({
  name: 'db_pool_connections',
  help: 'PostgreSQL connections of the pool, by state: in_use (checked out by a query or transaction) or idle',
  labelNames: ['pool', 'state'] as const,
  registers: [registry],
  collect() {
    for (const [name, p] of pools) {
      this.set({ pool: name, state: 'in_use' }, p.totalCount - p.idleCount);
      this.set({ pool: name, state: 'idle' }, p.idleCount);
    }
  },
});

export const dbPoolMaxConnections = new client.Gauge({
  name: 'db_pool_max_connections',
  help: 'the most connections the pool opens (PG_POOL_SIZE)',
  labelNames: ['pool'] as const,
  registers: [registry],
  collect() {
    for (const [name, p] of pools) this.set({ pool: name }, p.options.max ?? 10);
  },
});

export const dbPoolWaitingClients = new client.Gauge({
  name: 'db_pool_waiting_clients',
  help: 'callers waiting for a free connection of the pool',
  labelNames: ['pool'] as const,
  registers: [registry],
  collect() {
    for (const [name, p] of pools) this.set({ pool: name }, p.waitingCount);
  },
});

export const dbQueryDuration = new client.Histogram({
  name: 'db_query_duration_seconds',
  help: 'one PostgreSQL statement, from sending it to its result, by pool, statement kind (select, insert, update, delete, begin, commit, rollback, other) and outcome (ok, error)',
  labelNames: ['pool', 'operation', 'outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** How device stream replays ended (gateway/stream/README.md): ok, or the stream.resync reason. */
export const STREAM_REPLAY_OUTCOMES = ['ok', 'unknown_event', 'too_many', 'audit_behind', 'audit_unavailable'] as const;
export const streamReplays = new client.Counter({
  name: 'stream_replays_total',
  help: 'device stream replays (GET /v1/stream?after= or ?since=), by outcome: ok, or the reason the device was told to resync',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
for (const outcome of STREAM_REPLAY_OUTCOMES) streamReplays.inc({ outcome }, 0);
