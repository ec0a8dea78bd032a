/**
 * Whether the audit has recorded everything published so far for one user: the audit group's
 * committed offsets against the high watermarks of that user's partition of each audited topic, read
 * when asked. The group commits only after the database commit (auditConsumer.ts), so once its
 * committed offset reaches a high watermark, every event below it is in audit_log. Any subscribers
 * process can answer, whichever one consumes the partition.
 */
import type { Admin, Kafka } from 'kafkajs';
import { partitionOf } from '../../common/kafka';
import { partitionLag } from '../consumerLag';
import type { ReplayCut } from './auditStore';

const POLL_MS = 50;

export class AuditProgress {
  private admin: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka, private readonly groupId: string, private readonly topics: readonly string[]) {}

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
        return admin;
      } catch (err) {
        this.admin = undefined;
        throw err;
      }
    })();
    return this.admin;
  }

  /** The user's partition of each audited topic with its high and low watermarks now. */
  private async watermarks(userId: string): Promise<Array<ReplayCut & { low: string }>> {
    const admin = await this.connected();
    return Promise.all(this.topics.map(async (topic) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const partition = partitionOf(userId, offsets.length);
      const p = offsets.find((o) => o.partition === partition);
      if (!p) throw new Error(`no partition ${partition} in ${topic}`);
      return { topic, partition, high: p.high, low: p.low };
    }));
  }

  private async committed(): Promise<Map<string, string>> {
    const admin = await this.connected();
    const out = new Map<string, string>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] })) {
      for (const p of partitions) out.set(`${topic}/${p.partition}`, p.offset);
    }
    return out;
  }

  /**
   * Waits up to `waitMs` for the audit to record everything that was published for this user
   * before the call. Returns whether it did, and the watermarks it waited for (what lies at or
   * above them was published later).
   */
  async waitForUser(userId: string, waitMs: number): Promise<{ caughtUp: boolean; cut: ReplayCut[] }> {
    const marks = await this.watermarks(userId);
    const cut = marks.map(({ topic, partition, high }) => ({ topic, partition, high }));
    const deadline = Date.now() + waitMs;
    for (;;) {
      const committed = await this.committed();
      if (marks.every((m) => partitionLag(m.high, m.low, committed.get(`${m.topic}/${m.partition}`) ?? '-1') === 0)) return { caughtUp: true, cut };
      if (Date.now() >= deadline) return { caughtUp: false, cut };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async stop(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }
}
