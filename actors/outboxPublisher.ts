/**
 * Publishes outbox rows to Kafka after their transaction commits, and re-publishes whatever a crash
 * or a Kafka outage left behind.
 *
 * One flusher per process: writes only mark their user as pending (`kick`), and the flusher
 * publishes the rows of every pending user in one Kafka batch, over one database connection, in
 * commit order (seq). So Kafka's round trips are shared by many writes, and publishing never holds
 * more than one pooled connection while it waits for Kafka.
 *
 * Per user, only the holder of that user's advisory lock publishes, so two hosts (the actor's
 * own and another host's relay, during a rebalance) never interleave one user's events. Kafka
 * being down never fails a write: rows wait for the next flush or relay pass.
 *
 * Each row goes to its type's topic (task-events or reminders) and then, once those are
 * acknowledged, to task-updates, the devices' feed: a device never sees an event whose audited copy
 * is not already in Kafka, which the stream's replay relies on (gateway/stream/README.md). Every
 * message carries its seq in the outbox-seq header.
 */
import type { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import { SEQ_HEADER, TOPICS } from '../common/events/envelope';
import { eventsPublished, outboxPending } from '../common/metrics';
import type { Logger } from '../common/logger';
import { every, type Periodic } from '../common/periodic';
import { producerSpans } from '../common/traceContext';

interface OutboxRow {
  seq: string;
  topic: string;
  user_id: string;
  event_id: string;
  type: string;
  /** The event as stored (jsonb's text form), sent as it is: no parse and re-serialisation here. */
  json: string;
  /** The writer's trace (common/tracing.ts), if it was traced. */
  traceparent: string | null;
}

/**
 * Connections of the publisher's own pool (actors/main.ts): one for the flush's transaction, one for
 * the relay's query. Shared with the actors' transactions, the flusher waited behind them: in a
 * reminder storm 80 firings queued for the 10 connections, and rows committed in the first 0.4 s
 * were published up to 1.8 s after their time.
 */
export const OUTBOX_POOL_SIZE = 2;

/** Rows per Kafka batch, and users per flush. */
const BATCH_ROWS = 2000;
/**
 * Bytes of event JSON per Kafka batch. Kafka refuses a partition's batch over its message.max.bytes
 * (1 MiB by default), and one user's rows all go to one partition: without this bound, a user with
 * 2,000 waiting rows of a few hundred bytes each would fail every flush.
 */
const BATCH_BYTES = 768 * 1024;
const USERS_PER_FLUSH = 1000;
/** A user whose lock another publisher holds is tried again after this long. */
const BUSY_RETRY_MS = 100;
/** The relay leaves rows this young to the live flusher. */
const RELAY_MIN_AGE = '1 second';

/** The longest seq-ordered prefix of rows whose JSON fits in maxBytes (at least one row). */
export function withinBytes<R extends { json: string }>(rows: R[], maxBytes: number): R[] {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    total += Buffer.byteLength(rows[i].json);
    if (total > maxBytes && i > 0) return rows.slice(0, i);
  }
  return rows;
}

/** Users that may have rows left: those that filled their share of the batch, or lost rows to the byte bound. */
function usersWithMore(fetched: OutboxRow[], sent: number, perUser: number): string[] {
  const counts = new Map<string, number>();
  for (const r of fetched) counts.set(r.user_id, (counts.get(r.user_id) ?? 0) + 1);
  const more = new Set([...counts].filter(([, n]) => n >= perUser).map(([u]) => u));
  for (const r of fetched.slice(sent)) more.add(r.user_id);
  return [...more];
}

export class OutboxPublisher {
  private readonly pending = new Set<string>();
  private flushing: Promise<void> | undefined;
  private relay: Periodic | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly producer: Producer,
    private readonly log: Logger,
  ) {}

  /** Asks for this user's unpublished events to be sent soon; never throws, never waits for Kafka. */
  kick(userId: string): void {
    if (this.stopped) return;
    this.pending.add(userId);
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.pending.size && !this.stopped) this.kickAll([]);
    });
  }

  private kickAll(users: string[]): void {
    for (const u of users) this.pending.add(u);
    const [first] = this.pending;
    if (first !== undefined) this.kick(first);
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.size && !this.stopped) {
      const users = [...this.pending].slice(0, USERS_PER_FLUSH);
      for (const u of users) this.pending.delete(u);
      try {
        const { busy, more } = await this.flush(users);
        for (const u of more) this.pending.add(u);
        if (busy.length) setTimeout(() => this.kickAll(busy), BUSY_RETRY_MS).unref();
      } catch (err) {
        // Kafka or the database is unavailable: the rows stay unpublished and the relay retries.
        this.log.warn('outbox flush failed; the relay will retry', { users: users.length, err: String(err) });
        return;
      }
    }
  }

  /**
   * One transaction: lock the users nobody else is publishing, send their unpublished rows in seq
   * order as one batch, mark them published. Returns the users that were locked elsewhere, and
   * those with more rows than one batch holds.
   */
  async flush(users: string[]): Promise<{ published: number; busy: string[]; more: string[] }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const locked = (await client.query<{ u: string }>(
        "SELECT u FROM unnest($1::text[]) AS u WHERE pg_try_advisory_xact_lock(hashtext('outbox:' || u))", [users],
      )).rows.map((r) => r.u);
      const lockedSet = new Set(locked);
      const busy = users.filter((u) => !lockedSet.has(u));
      if (locked.length === 0) {
        await client.query('ROLLBACK');
        return { published: 0, busy, more: [] };
      }
      // Each locked user's oldest rows (an index range per user, however long the backlog), in seq order.
      const perUser = Math.max(1, Math.floor(BATCH_ROWS / locked.length));
      const fetched = (await client.query<OutboxRow>(
        `SELECT o.seq, o.topic, o.user_id, o.event_id, o.payload->>'type' AS type, o.payload::text AS json, o.traceparent
           FROM unnest($1::text[]) AS u(id)
           CROSS JOIN LATERAL (SELECT seq, topic, user_id, event_id, payload, traceparent FROM outbox
                                WHERE outbox.user_id = u.id AND published_at IS NULL ORDER BY seq LIMIT $2) AS o
          ORDER BY o.seq`,
        [locked, perUser],
      )).rows;
      const rows = withinBytes(fetched, BATCH_BYTES);
      if (rows.length) {
        await this.send(rows);
        // clock_timestamp(): when Kafka acknowledged the batch, not when this transaction began.
        await client.query('UPDATE outbox SET published_at = clock_timestamp() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      }
      await client.query('COMMIT');
      return { published: rows.length, busy, more: usersWithMore(fetched, rows.length, perUser) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * One produce request for the type topics, then one for task-updates; per partition, Kafka keeps
   * the order given here (seq order). If the second fails, the whole flush is retried: consumers
   * de-duplicate on eventId.
   */
  private async send(rows: OutboxRow[]): Promise<void> {
    const messages = rows.map((r) => ({
      topic: r.topic,
      traceparent: r.traceparent,
      headers: { 'event-type': r.type, 'event-id': r.event_id, [SEQ_HEADER]: r.seq } as Record<string, string>,
    })).map((m, i) => ({ ...m, message: { key: rows[i].user_id, value: rows[i].json, headers: m.headers } }));
    const byTopic = new Map<string, Array<(typeof messages)[number]['message']>>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m.message);
      else byTopic.set(m.topic, [m.message]);
    }
    // One span per event, child of the request that wrote it; its traceparent goes into the headers.
    await producerSpans(messages, () => this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic.entries()].map(([topic, ms]) => ({ topic, messages: ms })) }).then(() => undefined));
    for (const r of rows) eventsPublished.inc({ topic: r.topic, type: r.type });
    // Not counted again in events_published_total: the copy is the same event.
    await this.producer.sendBatch({ acks: -1, topicMessages: [{ topic: TOPICS.taskUpdates, messages: messages.map((m) => m.message) }] });
  }

  /** One relay pass: queues every user with unpublished rows older than a second; returns how many users. */
  async relayOnce(): Promise<number> {
    const pending = await this.pool.query<{ user_id: string; n: string }>(
      `SELECT user_id, count(*) AS n FROM outbox WHERE published_at IS NULL AND created_at < now() - interval '${RELAY_MIN_AGE}'
        GROUP BY user_id ORDER BY min(seq) LIMIT ${USERS_PER_FLUSH}`,
    );
    outboxPending.set(pending.rows.reduce((s, r) => s + Number(r.n), 0));
    if (pending.rows.length) this.kickAll(pending.rows.map((r) => r.user_id));
    return pending.rows.length;
  }

  startRelay(intervalMs: number): void {
    this.relay = every(intervalMs, 'outbox relay pass', this.log, async () => {
      const n = await this.relayOnce();
      if (n > 0) this.log.info('outbox relay queued users with old unpublished events', { users: n });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.relay?.stop();
    await this.flushing;
  }
}
