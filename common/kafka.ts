/** kafkajs clients for the services, and the topics they create at start. */
import { ConfigResourceTypes, Kafka, logLevel, Partitioners, type Admin, type Consumer, type ConsumerRunConfig, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { config, kafkaBrokerList, type Config } from './config';
import { ALL_TOPICS } from './events/envelope';
import type { Logger } from './logger';
import { deadLetterRetentionMs } from './deadLetters';
import { classifyFailure, decide, describeFailure, parsePolicies, type PolicyEntry, type RetrySchedule, type TransientBackoff } from './consumerRetry';
import { consumerRetries } from './metrics';

/** TLS and SASL of the Kafka connection, from KAFKA_TLS and KAFKA_SASL_*: nothing locally, SASL_SSL on a managed Kafka. */
export function kafkaSecurity(c: Pick<Config, 'kafkaTls' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword'> = config): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (c.kafkaTls) out.ssl = true;
  if (c.kafkaSaslMechanism !== 'none') {
    if (!c.kafkaSaslUsername || !c.kafkaSaslPassword) {
      throw new Error(`KAFKA_SASL_MECHANISM=${c.kafkaSaslMechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
    }
    out.sasl = { mechanism: c.kafkaSaslMechanism, username: c.kafkaSaslUsername, password: c.kafkaSaslPassword } as SASLOptions;
  }
  return out;
}

export interface KafkaClientOptions {
  /** Instead of KAFKA_TLS and KAFKA_SASL_*: another user's (tests and the stack's own admin). */
  security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  retry?: KafkaConfig['retry'];
  connectionTimeout?: number;
  /** Log nothing (tests that provoke errors on purpose, the stack's health probe). */
  quiet?: boolean;
}

/** The one place that builds Kafka clients: the configured brokers, TLS and SASL user, and logging into winston. */
export function createKafka(clientId: string, log: Logger, opts: KafkaClientOptions = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokerList(),
    ...(opts.security ?? kafkaSecurity()),
    connectionTimeout: opts.connectionTimeout ?? 3000,
    requestTimeout: 10000,
    retry: opts.retry ?? { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: opts.quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: () => ({ namespace, level, label, log: entry }) => {
      const { message, ...extra } = entry;
      const meta = { kafka: { namespace, label, ...extra } };
      if (level <= logLevel.ERROR) log.error(message, meta);
      else log.warn(message, meta);
    },
  });
}

/** The retention of a topic the services create: the dead-letter topics' own, KAFKA_RETENTION_MS for the rest. */
export function retentionOf(topic: string): number {
  return topic.endsWith('.dlt') ? deadLetterRetentionMs(topic) : config.kafkaRetentionMs;
}

/**
 * Creates the topics (and their dead-letter topics) that do not exist yet, with the configured
 * partitions and retention, and sets the dead-letter topics' retention on those that do (so a
 * changed DLT_RETENTION_* takes effect at the next start). Safe to call from every service at
 * every start.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[] = ALL_TOPICS): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: config.kafkaPartitions,
        replicationFactor: config.kafkaReplicationFactor,
        configEntries: [{ name: 'retention.ms', value: String(retentionOf(topic)) }],
      })),
    });
  }
  const dlts = topics.filter((t) => existing.has(t) && t.endsWith('.dlt'));
  if (dlts.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: dlts.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configEntries: [{ name: 'retention.ms', value: String(retentionOf(name)) }] })),
    });
  }
  return missing;
}

const keyPartitioner = Partitioners.DefaultPartitioner();

/**
 * The partition the producers put a message with this key on (kafkajs's default partitioner, the
 * Java client's murmur2), for a topic of `partitions` partitions: where a user's events are.
 */
export function partitionOf(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  return keyPartitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/**
 * Runs a consumer and keeps it running. kafkajs restarts a consumer itself only after an error it
 * deems retriable; after any other (KafkaJSGroupCoordinatorNotFound while the broker restarts, for
 * one) it disconnects the consumer for good, and the group silently loses its member. This starts
 * it again, with backoff, for as long as the process lives.
 */
export async function runConsumer(consumer: Consumer, runConfig: ConsumerRunConfig, log: Logger): Promise<void> {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    log.warn('kafka consumer stopped by an error kafkajs does not retry; starting it again', { group: payload.groupId, err: String(payload.error) });
    void untilKafkaAnswers(
      async (attempt) => {
        await consumer.connect();
        await consumer.run(runConfig);
        log.info('kafka consumer running again', { group: payload.groupId, attempt });
      },
      (err, attempt) => log.warn('kafka consumer could not start again yet', { group: payload.groupId, attempt, err: String(err) }),
      { waitFirst: true },
    );
  });
  await consumer.run(runConfig);
}

export interface RetryContext {
  group: string;
  topic: string;
  /** The schedule of unclassified failures of this message (consumerRetry.ts scheduleFor). */
  schedule: RetrySchedule;
  backoff?: TransientBackoff;
  /** Called at least every few seconds while waiting, so the group keeps the member. */
  heartbeat: () => Promise<void>;
  /** False once the consumer stops or loses the partition: waiting ends, the message is left for whoever reads it next. */
  isRunning: () => boolean;
  log: Logger;
  /** Ids for the logs (eventId, userId, offset…). */
  ids?: Record<string, unknown>;
}

export type Handled<T> = { ok: true; value: T; attempts: number } | { ok: false; reason: string; attempts: number };

/** Thrown when the consumer stopped while a message waited for its retry: nothing was committed, the message is read again. */
export class StoppedWhileRetrying extends Error {}

const HEARTBEAT_EVERY_MS = 3000;

/**
 * The one way a consumer retries the handling of a message (or of a batch): `fn` is tried until
 * it succeeds, or fails in a way consumerRetry.ts's policy dead-letters (permanent at once,
 * unclassified once the schedule is used up). Transient failures are retried without end and do
 * not use up the schedule. Throws StoppedWhileRetrying when the consumer stops meanwhile.
 */
export async function retryMessage<T>(fn: () => Promise<T>, ctx: RetryContext): Promise<Handled<T>> {
  const backoff = ctx.backoff ?? { baseMs: config.consumerTransientRetryBaseMs, capMs: config.consumerTransientRetryCapMs };
  let attempts = 0;
  let unknownFailures = 0;
  let transientFailures = 0;
  for (;;) {
    attempts++;
    try {
      return { ok: true, value: await fn(), attempts };
    } catch (err) {
      const kind = classifyFailure(err);
      const error = describeFailure(err);
      if (kind === 'unknown') unknownFailures++;
      if (kind === 'transient') transientFailures++;
      const d = decide(kind, kind === 'transient' ? transientFailures : unknownFailures, ctx.schedule, backoff, error);
      if (d.action === 'dead-letter') return { ok: false, reason: d.reason, attempts };
      consumerRetries.inc({ group: metricGroup(ctx.group), topic: ctx.topic, kind });
      const level = kind === 'transient' && transientFailures > 1 ? 'debug' : 'warn';
      ctx.log[level]('message handling failed; will retry', { group: ctx.group, topic: ctx.topic, kind, attempts, retryInMs: d.delayMs, err: error, ...ctx.ids });
      await waitWithHeartbeats(d.delayMs, ctx);
    }
  }
}

/** Device-stream groups are one per gateway process: one label value for all of them. */
export function metricGroup(group: string): string {
  return group.startsWith('sync-') ? 'sync' : group;
}

async function waitWithHeartbeats(ms: number, ctx: RetryContext): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (!ctx.isRunning()) throw new StoppedWhileRetrying(`consumer ${ctx.group} stopped while a message of ${ctx.topic} waited for a retry`);
    const left = until - Date.now();
    if (left <= 0) return;
    await new Promise((r) => setTimeout(r, Math.min(left, HEARTBEAT_EVERY_MS)));
    await ctx.heartbeat().catch(() => undefined);
  }
}

let policies: PolicyEntry[] | undefined;
/** The retry schedules in force: CONSUMER_RETRY_POLICIES over the defaults. Throws at the first use if the setting is invalid. */
export function consumerPolicies(): readonly PolicyEntry[] {
  if (!policies) {
    const parsed = parsePolicies(config.consumerRetryPolicies);
    if ('error' in parsed) throw new Error(`CONSUMER_RETRY_POLICIES: ${parsed.error}`);
    policies = parsed.policies;
  }
  return policies;
}

/** The wait after the `attempt`-th failed try to reach Kafka: half a second more each time, at most 5 s. */
export const kafkaBackoffMs = (attempt: number): number => Math.min(5000, 500 * attempt);

export interface UntilKafkaAnswersOptions {
  /** Wait before the first try too (a consumer kafkajs just dropped: give the broker a moment). */
  waitFirst?: boolean;
  /** How to wait (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The one retry loop for reaching Kafka (at a service's start, or after kafkajs dropped a
 * consumer): tries `step` until it resolves, waiting kafkaBackoffMs between tries and telling
 * `failed` of each failure, for as long as the process lives. Kafka may be down for a while (a
 * broker restart, the stack's start): the service goes on without it meanwhile. Resolves with
 * what `step` returned.
 */
export async function untilKafkaAnswers<T>(
  step: (attempt: number) => Promise<T>,
  failed: (err: unknown, attempt: number) => void,
  opts: UntilKafkaAnswersOptions = {},
): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  if (opts.waitFirst) await sleep(kafkaBackoffMs(1));
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      failed(err, attempt);
      await sleep(kafkaBackoffMs(opts.waitFirst ? attempt + 1 : attempt));
    }
  }
}
