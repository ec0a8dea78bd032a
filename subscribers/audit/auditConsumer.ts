/**
 * Consumer group `audit`: reads task-events and reminders, validates every event, writes each batch
 * into audit_log in one statement, and only then commits the batch's offsets. An event that does
 * not validate goes to its topic's dead-letter topic with the reason at once; a write that fails
 * transiently (the database down) is retried until it works, never dead-lettered; any other
 * failure is retried per event on the schedule of its type (subscribers/deadLetters/README.md), then
 * dead-lettered, and consumption goes on. An operator's replay for this group arrives on
 * dead-letter-replays and is recorded like any other event (idempotent on eventId).
 */
import type { Consumer, Kafka, EachBatchPayload } from 'kafkajs';
import type { Pool } from 'pg';
import { REPLAY_TOPIC, TOPICS } from '../../common/events/envelope';
import { runConsumer, StoppedWhileRetrying } from '../../common/kafka';
import { consumerRetries, eventsConsumed } from '../../common/metrics';
import type { Logger } from '../../common/logger';
import { insertAuditBatch, type AuditRecord } from './auditStore';
import { commitBatch, parseBatch, sendDeadLetters, tracedBatch, writeWithRetries, type BatchRetry } from '../consumedBatch';
import { DeadLetters } from '../../common/deadLetters';

export const AUDIT_GROUP = 'audit';
/** Batches in flight at once (of different partitions); each holds one pooled connection while it inserts. */
const AUDIT_PARTITIONS_CONCURRENTLY = 4;
/**
 * The broker answers the audit's fetch once this much is waiting, or after AUDIT_FETCH_WAIT_MS:
 * nobody waits on an audit row by the millisecond, and a fetch answered at the first event made
 * Kafka serve (and the consumer commit) a batch of one or two events per partition, hundreds of
 * times a second under load.
 */
const AUDIT_FETCH_MIN_BYTES = 64 * 1024;
const AUDIT_FETCH_WAIT_MS = 100;
/** Every event is on one of these (task-updates holds copies, for devices). */
export const AUDITED_TOPICS: readonly string[] = [TOPICS.taskEvents, TOPICS.reminders];

export class AuditConsumer {
  private consumer: Consumer;
  private deadLetters: DeadLetters;

  constructor(kafka: Kafka, private readonly pool: Pool, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId: AUDIT_GROUP, sessionTimeout: 30000, heartbeatInterval: 3000, minBytes: AUDIT_FETCH_MIN_BYTES, maxWaitTimeInMs: AUDIT_FETCH_WAIT_MS });
    for (const topic of AUDITED_TOPICS) for (const kind of ['transient', 'unknown']) consumerRetries.inc({ group: AUDIT_GROUP, topic, kind }, 0);
    this.deadLetters = new DeadLetters(kafka, AUDIT_GROUP);
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    // dead-letter-replays: what an operator sent again for this group (subscribers/deadLetters/README.md).
    await this.consumer.subscribe({ topics: [...AUDITED_TOPICS, REPLAY_TOPIC], fromBeginning: true });
    // Several partitions at once: while one batch waits for PostgreSQL, another is parsed or committed.
    // Each partition still has one batch at a time, in offset order.
    await runConsumer(this.consumer, { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: AUDIT_PARTITIONS_CONCURRENTLY, eachBatch: (p) => tracedBatch(AUDIT_GROUP, p.batch, () => this.handleBatch(p)) }, this.log);
  }

  private async handleBatch(p: EachBatchPayload): Promise<void> {
    try {
      await this.recordBatch(p);
    } catch (err) {
      // Stopped or rebalanced mid-retry: nothing committed, the next owner reads the batch again.
      if (err instanceof StoppedWhileRetrying) return;
      throw err;
    }
  }

  private async recordBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const retry: BatchRetry = { group: AUDIT_GROUP, topic: batch.topic, partition: batch.partition, heartbeat, isRunning: () => isRunning() && !isStale(), log: this.log };
    const { events, dead: invalid, skipped } = parseBatch(batch, AUDIT_GROUP);
    const { written, dead: failed } = await writeWithRetries(events, (es) => insertAuditBatch(this.pool, es.map((e): AuditRecord => ({
      event: e.event, topic: batch.topic, partition: batch.partition, offset: e.offset, seq: e.seq,
    }))), retry);
    const dead = [...invalid, ...failed];
    await sendDeadLetters(this.deadLetters, dead, retry);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'dead_lettered' }, dead.length);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'recorded' }, written);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'duplicate' }, events.length - failed.length - written);
    eventsConsumed.inc({ group: AUDIT_GROUP, topic: batch.topic, outcome: 'ignored' }, skipped);
    for (const e of events) this.log.debug('audited', { userId: e.event.userId, taskId: e.event.taskId, eventId: e.event.eventId, traceId: e.event.traceId });
    // The database has committed and the dead letters are in Kafka: only now may the offsets move past these messages.
    await commitBatch(this.consumer, batch, resolveOffset);
    await heartbeat();
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.deadLetters.disconnect();
  }
}
