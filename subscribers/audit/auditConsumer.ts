/**
 * Consumer group `audit`: reads task-events and reminders, validates every event, writes each batch
 * into audit_log in one statement, and only then commits the batch's offsets. An event that does
 * not validate goes to its topic's dead-letter topic with the reason, and consumption goes on.
 */
import type { Consumer, Kafka, EachBatchPayload } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS } from '../../common/events/envelope';
import { runConsumer } from '../../common/kafka';
import { eventsConsumed } from '../../common/metrics';
import type { Logger } from '../../common/logger';
import { insertAuditBatch, type AuditRecord } from './auditStore';
import { commitBatch, parseBatch, tracedBatch } from '../consumedBatch';
import { DeadLetters } from '../../common/deadLetters';

export const AUDIT_GROUP = 'audit';
/** Batches in flight at once (of different partitions); each holds one pooled connection while it inserts. */
const AUDIT_PARTITIONS_CONCURRENTLY = 4;
/** Every event is on one of these (task-updates holds copies, for devices). */
export const AUDITED_TOPICS: readonly string[] = [TOPICS.taskEvents, TOPICS.reminders];

export class AuditConsumer {
  private consumer: Consumer;
  private deadLetters: DeadLetters;

  constructor(kafka: Kafka, private readonly pool: Pool, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId: AUDIT_GROUP, sessionTimeout: 30000, heartbeatInterval: 3000 });
    this.deadLetters = new DeadLetters(kafka, AUDIT_GROUP);
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...AUDITED_TOPICS], fromBeginning: true });
    // Several partitions at once: while one batch waits for PostgreSQL, another is parsed or committed.
    // Each partition still has one batch at a time, in offset order.
    await runConsumer(this.consumer, { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: AUDIT_PARTITIONS_CONCURRENTLY, eachBatch: (p) => tracedBatch(AUDIT_GROUP, p.batch, () => this.handleBatch(p)) }, this.log);
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const { events, dead } = parseBatch(batch);
    if (dead.length) {
      await this.deadLetters.send(batch.topic, dead);
      for (const d of dead) this.log.warn('event sent to dead-letter topic', { topic: batch.topic, reason: d.reason });
      eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'dead_lettered' }, dead.length);
    }
    const good: AuditRecord[] = events.map(({ event, offset, seq }) => ({ event, topic: batch.topic, partition: batch.partition, offset, seq }));
    const inserted = await insertAuditBatch(this.pool, good);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'recorded' }, inserted);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'duplicate' }, good.length - inserted);
    for (const r of good) this.log.debug('audited', { userId: r.event.userId, taskId: r.event.taskId, eventId: r.event.eventId, traceId: r.event.traceId });
    // The database has committed: only now may the offsets move past these messages.
    await commitBatch(this.consumer, batch, resolveOffset);
    await heartbeat();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.deadLetters.disconnect();
  }
}
