/**
 * Publishes outbox rows to Kafka after their transaction commits, and re-publishes whatever a crash
 * or a Kafka outage left behind. Per user, rows go out in commit order (seq) under a PostgreSQL
 * advisory lock, so the actor's own drain and the relay of any host never interleave one user's
 * events. Kafka being down never fails a write: rows simply wait for the next drain.
 */
import type { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import { eventsPublished, outboxPending } from '../common/metrics';
import type { Logger } from '../common/logger';

interface OutboxRow {
  seq: string;
  topic: string;
  user_id: string;
  payload: { eventId: string; type: string; userId: string };
}

const BATCH = 500;

export class OutboxPublisher {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private relayTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly producer: Producer,
    private readonly log: Logger,
  ) {}

  /** Asks for this user's unpublished events to be sent soon; never throws, never waits for Kafka. */
  kick(userId: string): void {
    if (this.stopped) return;
    if (this.running.has(userId)) {
      this.again.add(userId);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(userId);
        await this.drainUser(userId, true).catch((err) => this.log.warn('outbox drain failed; the relay will retry', { userId, err: String(err) }));
      } while (this.again.has(userId) && !this.stopped);
    })().finally(() => this.running.delete(userId));
    this.running.set(userId, run);
  }

  /**
   * Sends this user's unpublished rows in seq order and marks them published, in one transaction
   * holding the user's advisory lock. Returns how many rows were published.
   */
  async drainUser(userId: string, wait: boolean): Promise<number> {
    const client = await this.pool.connect();
    let total = 0;
    try {
      await client.query('BEGIN');
      const lockSql = wait ? 'SELECT pg_advisory_xact_lock(hashtext($1)) AS locked' : 'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked';
      const lock = await client.query<{ locked: boolean | string }>(lockSql, [`outbox:${userId}`]);
      if (!wait && lock.rows[0].locked !== true) {
        await client.query('ROLLBACK');
        return 0;
      }
      for (;;) {
        const rows = (await client.query<OutboxRow>(
          'SELECT seq, topic, user_id, payload FROM outbox WHERE user_id = $1 AND published_at IS NULL ORDER BY seq LIMIT $2',
          [userId, BATCH],
        )).rows;
        if (rows.length === 0) break;
        await this.send(rows);
        await client.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
        total += rows.length;
        if (rows.length < BATCH) break;
      }
      await client.query('COMMIT');
      return total;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, rs]) => ({
        topic,
        messages: rs.map((r) => ({
          key: r.user_id,
          value: JSON.stringify(r.payload),
          headers: { 'event-type': r.payload.type, 'event-id': r.payload.eventId },
        })),
      })),
    });
    for (const r of rows) eventsPublished.inc({ topic: r.topic, type: r.payload.type });
  }

  /** One relay pass: every user with rows older than a second that nobody else is draining. */
  async relayOnce(): Promise<number> {
    const pending = await this.pool.query<{ user_id: string; n: string }>(
      `SELECT user_id, count(*) AS n FROM outbox WHERE published_at IS NULL GROUP BY user_id
       ORDER BY min(seq) LIMIT 1000`,
    );
    outboxPending.set(pending.rows.reduce((s, r) => s + Number(r.n), 0));
    let published = 0;
    for (const { user_id } of pending.rows) {
      if (this.stopped) break;
      if (this.running.has(user_id)) continue;
      published += await this.drainUser(user_id, false);
    }
    return published;
  }

  startRelay(intervalMs: number): void {
    const tick = async () => {
      try {
        const n = await this.relayOnce();
        if (n > 0) this.log.info('outbox relay re-published events', { count: n });
      } catch (err) {
        this.log.warn('outbox relay pass failed', { err: String(err) });
      } finally {
        if (!this.stopped) this.relayTimer = setTimeout(tick, intervalMs);
      }
    };
    this.relayTimer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.relayTimer) clearTimeout(this.relayTimer);
    await Promise.allSettled([...this.running.values()]);
  }
}
