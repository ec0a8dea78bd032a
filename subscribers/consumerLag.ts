/**
 * Consumer lag per group, topic and partition, as the Prometheus gauge kafka_consumer_group_lag:
 * the partition's high watermark minus the group's committed offset (from the partition's low
 * watermark when the group has committed nothing yet). Refreshed in the background, so a scrape
 * costs nothing.
 */
import client from 'prom-client';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../common/logger';
import { registry } from '../common/metrics';
import { every, type Periodic } from '../common/periodic';

export const consumerLag = new client.Gauge({
  name: 'kafka_consumer_group_lag',
  help: 'messages on a partition that the consumer group has not committed yet',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [registry],
});

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
