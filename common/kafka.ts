/** kafkajs clients for the services, and the topics they create at start. */
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type ConsumerRunConfig, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { config, kafkaBrokerList, type Config } from './config';
import { ALL_TOPICS } from './events/envelope';
import type { Logger } from './logger';

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

/**
 * Creates the topics (and their dead-letter topics) that do not exist yet, with the configured
 * partitions and retention. Safe to call from every service at every start.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[] = ALL_TOPICS): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: config.kafkaPartitions,
      replicationFactor: config.kafkaReplicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(config.kafkaRetentionMs) }],
    })),
  });
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
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
        try {
          await consumer.connect();
          await consumer.run(runConfig);
          log.info('kafka consumer running again', { group: payload.groupId, attempt });
          return;
        } catch (err) {
          log.warn('kafka consumer could not start again yet', { group: payload.groupId, attempt, err: String(err) });
        }
      }
    })();
  });
  await consumer.run(runConfig);
}
