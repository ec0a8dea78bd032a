/**
 * Consumer group `audit`: reads task-events and reminders, validates every event, writes each batch
 * into audit_log in one statement, and only then commits the batch's offsets. An event that does
 * not validate goes to its topic's dead-letter topic with the reason, and consumption goes on.
 */
import type { Consumer, Kafka, Producer, EachBatchPayload } from 'kafkajs';
import type { Pool } from 'pg';
import { deadLetterTopic, TOPICS, type EventEnvelope } from '../../common/events/envelope';
import { eventsConsumed } from '../../common/metrics';
import { validateEvent } from '../../common/validation';
import type { Logger } from '../../common/logger';
import { insertAuditBatch, type AuditRecord } from './auditStore';

export const AUDIT_GROUP = 'audit';

export class AuditConsumer {
  private consumer: Consumer;
  private producer: Producer;

  constructor(kafka: Kafka, private readonly pool: Pool, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId: AUDIT_GROUP, sessionTimeout: 30000, heartbeatInterval: 3000 });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.taskEvents, TOPICS.reminders], fromBeginning: true });
    await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.handleBatch(p) });
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const good: AuditRecord[] = [];
    const dead: Array<{ key: Buffer | null; value: Buffer | null; reason: string }> = [];
    for (const m of batch.messages) {
      let event: unknown;
      let reason: string | undefined;
      try {
        event = JSON.parse(m.value?.toString('utf8') ?? '');
        const v = validateEvent(event);
        if (!v.ok) reason = `invalid event: ${v.details.map((d) => `${d.field} ${d.message}`).join('; ')}`;
      } catch (err) {
        reason = `not JSON: ${(err as Error).message}`;
      }
      if (reason) dead.push({ key: m.key, value: m.value, reason });
      else good.push({ event: event as EventEnvelope<unknown>, topic: batch.topic, partition: batch.partition, offset: m.offset });
    }
    if (dead.length) {
      await this.producer.send({
        topic: deadLetterTopic(batch.topic),
        acks: -1,
        messages: dead.map((d) => ({ key: d.key, value: d.value, headers: { 'dlt-reason': d.reason, 'dlt-group': AUDIT_GROUP, 'dlt-source-topic': batch.topic } })),
      });
      for (const d of dead) this.log.warn('event sent to dead-letter topic', { topic: batch.topic, reason: d.reason });
      eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'dead_lettered' }, dead.length);
    }
    const inserted = await insertAuditBatch(this.pool, good);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'recorded' }, inserted);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'duplicate' }, good.length - inserted);
    for (const r of good) this.log.debug('audited', { userId: r.event.userId, taskId: r.event.taskId, eventId: r.event.eventId, traceId: r.event.traceId });
    // The database has committed: only now may the offsets move past these messages.
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await commitOffsetsIfNecessary();
    await heartbeat();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}
