/**
 * Consumer lag per group, topic and partition, as the Prometheus gauge kafka_consumer_group_lag:
 * the partition's high watermark minus the group's committed offset (from the partition's low
 * watermark when the group has committed nothing yet); and the brokers' health as the cluster
 * metadata shows it (brokers, controller, offline and under-replicated partitions of the topics the
 * services use). Refreshed in the background, so a scrape costs nothing.
 */
import client from 'prom-client';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../common/logger';
import { registry } from '../common/metrics';
import { every, type Periodic } from '../common/periodic';
import { ALL_TOPICS } from '../common/events/envelope';

export const consumerLag = new client.Gauge({
  name: 'kafka_consumer_group_lag',
  help: 'messages on a partition that the consumer group has not committed yet',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [registry],
});

/** Kafka broker health as the clients see it (the brokers' own JMX metrics need an exporter a cluster's Kafka has). */
export const kafkaBrokers = new client.Gauge({
  name: 'kafka_brokers',
  help: 'brokers in the Kafka cluster metadata, and whether it names an active controller (state online or controller)',
  labelNames: ['state'] as const,
  registers: [registry],
});

export const kafkaPartitionsOffline = new client.Gauge({
  name: 'kafka_topic_partitions_offline',
  help: 'partitions of a topic the services use that have no leader: nothing can be written to or read from them',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const kafkaPartitionsUnderReplicated = new client.Gauge({
  name: 'kafka_topic_partitions_under_replicated',
  help: 'partitions of a topic the services use whose in-sync replicas are fewer than their replicas',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export interface PartitionMetadata {
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Offline (no leader) and under-replicated (ISR smaller than the replica set) partitions of one topic. */
export function partitionHealth(partitions: readonly PartitionMetadata[]): { offline: number; underReplicated: number } {
  return {
    offline: partitions.filter((p) => p.leader < 0).length,
    underReplicated: partitions.filter((p) => p.isr.length < p.replicas.length).length,
  };
}

/** Lag of one partition: what the group has still to read. */
export function partitionLag(high: string, low: string, committed: string): number {
  const start = committed === '-1' || committed === '' ? BigInt(low) : BigInt(committed);
  const lag = BigInt(high) - start;
  return Number(lag < 0n ? 0n : lag);
}

export class ConsumerLagMonitor {
  private admin: Admin | undefined;
  private periodic: Periodic | undefined;

  constructor(private readonly kafka: Kafka, private readonly groups: Record<string, string[]>, private readonly log: Logger) {}

  async refresh(): Promise<void> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const cluster = await this.admin.describeCluster();
    kafkaBrokers.set({ state: 'online' }, cluster.brokers.length);
    kafkaBrokers.set({ state: 'controller' }, cluster.controller === null || cluster.controller < 0 ? 0 : 1);
    for (const t of (await this.admin.fetchTopicMetadata({ topics: [...ALL_TOPICS] })).topics) {
      const h = partitionHealth(t.partitions);
      kafkaPartitionsOffline.set({ topic: t.name }, h.offline);
      kafkaPartitionsUnderReplicated.set({ topic: t.name }, h.underReplicated);
    }
    for (const [groupId, topics] of Object.entries(this.groups)) {
      const committed = await this.admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = new Map((await this.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
        for (const p of partitions) {
          const end = ends.get(p.partition);
          if (end) consumerLag.set({ group: groupId, topic, partition: String(p.partition) }, partitionLag(end.high, end.low, p.offset));
        }
      }
    }
  }

  start(intervalMs: number): void {
    this.periodic = every(intervalMs, 'consumer lag refresh', this.log, () => this.refresh());
  }

  async stop(): Promise<void> {
    this.periodic?.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }
}
