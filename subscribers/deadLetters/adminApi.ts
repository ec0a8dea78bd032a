/**
 * The operators' dead-letter endpoints, reached only through Dapr service invocation from the
 * gateway's /v1/admin routes (which check the operator role and pass the operator's name as
 * ?operator=). Every call is recorded in admin_actions (who, what, when), in the transaction that
 * acts.
 * - GET  /admin/dead-letters?topic=&group=&status=&eventId=&limit=&cursor=   newest first
 * - POST /admin/dead-letters/{id}/replay       send it again, to the consumer group that gave up
 * - POST /admin/dead-letters/replay            the same for every match of a filter (JSON body)
 * - POST /admin/dead-letters/{id}/discard      mark it handled; it is never replayed
 * A replay is the original key and value on dead-letter-replays (REPLAY_TOPIC) with the
 * dlt-replay-group header and where the message was first read: only that group acts on it
 * (common/deadLetters.ts), and consumers are idempotent by eventId. Only the groups that read
 * that topic (REPLAYABLE_GROUPS) get replays; the event topics stay the actor host's alone.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../common/db/pool';
import { REPLAY_HEADERS } from '../../common/deadLetters';
import { REPLAY_TOPIC } from '../../common/events/envelope';
import { AUDIT_GROUP } from '../audit/auditConsumer';
import { NOTIFICATIONS_GROUP } from '../notifications/reminderEvents';
import type { Logger } from '../../common/logger';
import { isUuid, type FieldError } from '../../common/validation';
import {
  DEAD_LETTER_ID, DEAD_LETTER_STATUSES, decodeCursor, listDeadLetters, lockDeadLetters, markDiscarded, markReplayed, recordAdminAction,
  type Cursor, type DeadLetterStatus, type DeadLetterView, type Filter,
} from './deadLetterStore';

export const MAX_LIST_LIMIT = 500;
const OPERATOR = /^[A-Za-z0-9._@:|+-]{1,128}$/;
const TOPIC = /^[a-z0-9._-]{1,200}$/;

const invalid = (res: Response, details: FieldError[]) =>
  res.status(400).json({ error: { code: 'invalid_input', message: 'the dead-letter request is invalid', details } });
const problem = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message, details: [] } });

/**
 * The consumer groups that read dead-letter-replays. A device stream's group (`sync-…`, one per
 * gateway process, live only) gets none: what it dead-letters does not validate, and a device
 * that missed something catches up itself when it reconnects (gateway/stream/README.md).
 */
export const REPLAYABLE_GROUPS: readonly string[] = [AUDIT_GROUP, NOTIFICATIONS_GROUP];

type Lettered = DeadLetterView & { rawKey: Buffer | null; rawValue: Buffer | null };

/** Why a dead letter cannot be sent again, or undefined when it can. */
export function notReplayable(l: Pick<Lettered, 'status' | 'group' | 'rawValue'>): string | undefined {
  if (l.status === 'discarded') return 'the dead letter was discarded; it is not replayed';
  if (l.rawValue === null) return 'the dead letter has no value to send again';
  if (!REPLAYABLE_GROUPS.includes(l.group)) {
    return l.group.startsWith('sync-')
      ? 'a device stream\'s dead letter is not replayed: the stream is live only, and a device catches up when it reconnects'
      : `consumer group ${l.group} takes no replays (only ${REPLAYABLE_GROUPS.join(', ')})`;
  }
  return undefined;
}

/** Sends dead letters again; resolves once Kafka has them (acks -1). */
export class Replayer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async replay(letters: Lettered[]): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: REPLAY_TOPIC,
      acks: -1,
      messages: letters.map((l) => {
        const headers: Record<string, string> = { [REPLAY_HEADERS.group]: l.group, [REPLAY_HEADERS.id]: l.id, [REPLAY_HEADERS.sourceTopic]: l.topic };
        if (l.partition !== null) headers[REPLAY_HEADERS.sourcePartition] = String(l.partition);
        if (l.offset !== null) headers[REPLAY_HEADERS.sourceOffset] = l.offset;
        return { key: l.rawKey, value: l.rawValue, headers };
      }),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect().catch(() => undefined);
  }
}

/** The filter of a listing's query string or a bulk replay's body, or what is wrong with it. */
export function parseFilter(src: Record<string, unknown>, errors: FieldError[]): Filter {
  const f: Filter = {};
  const str = (name: string): string | undefined => {
    const v = src[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0) {
      errors.push({ field: name, message: 'must be a non-empty string' });
      return undefined;
    }
    return v;
  };
  const topic = str('topic');
  if (topic !== undefined) {
    if (TOPIC.test(topic)) f.topic = topic;
    else errors.push({ field: 'topic', message: 'must be a topic name such as task-events or task-events.dlt' });
  }
  const group = str('group');
  if (group !== undefined) {
    if (group.length <= 200) f.group = group;
    else errors.push({ field: 'group', message: 'must be a consumer group id' });
  }
  const status = str('status');
  if (status !== undefined) {
    if ((DEAD_LETTER_STATUSES as readonly string[]).includes(status)) f.status = status as DeadLetterStatus;
    else errors.push({ field: 'status', message: `must be one of ${DEAD_LETTER_STATUSES.join(', ')}` });
  }
  const eventId = str('eventId');
  if (eventId !== undefined) {
    if (isUuid(eventId)) f.eventId = eventId.toLowerCase();
    else errors.push({ field: 'eventId', message: 'must be an eventId (a UUID)' });
  }
  return f;
}

function limitOf(raw: unknown, def: number, max: number, errors: FieldError[]): number {
  if (raw === undefined) return def;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(Number.isInteger(n) && n >= 1 && n <= max)) {
    errors.push({ field: 'limit', message: `must be an integer from 1 to ${max}` });
    return def;
  }
  return n;
}

function operatorOf(req: Request, errors: FieldError[]): string {
  const op = typeof req.query.operator === 'string' ? req.query.operator : '';
  if (!OPERATOR.test(op)) errors.push({ field: 'operator', message: 'is required: the operator acting' });
  return op;
}

const summary = (d: DeadLetterView) => ({ id: d.id, topic: d.topic, group: d.group, eventId: d.eventId, status: d.status });

export function deadLetterAdminApi(pool: Pool, replayer: Replayer, bulkMax: number, log: Logger): Router {
  const r = Router();
  r.use('/admin', express.json({ limit: '64kb' }));

  r.get('/admin/dead-letters', async (req, res) => {
    const errors: FieldError[] = [];
    const operator = operatorOf(req, errors);
    const filter = parseFilter(req.query as Record<string, unknown>, errors);
    const limit = limitOf(req.query.limit, 50, MAX_LIST_LIMIT, errors);
    let cursor: Cursor | undefined;
    if (req.query.cursor !== undefined) {
      cursor = typeof req.query.cursor === 'string' ? decodeCursor(req.query.cursor) : undefined;
      if (!cursor) errors.push({ field: 'cursor', message: 'is not a cursor this API returned' });
    }
    if (errors.length) return void invalid(res, errors);
    const page = await listDeadLetters(pool, filter, limit, cursor);
    await recordAdminAction(pool, { operator, action: 'dead-letters.list', target: null, params: { ...filter, limit, cursor: req.query.cursor ?? null }, result: { count: page.items.length } });
    res.json(page);
  });

  /** Locks the dead letters, sends the replayable ones again, marks them and records the action, in one transaction. */
  async function replay(tx: PoolClient, letters: Awaited<ReturnType<typeof lockDeadLetters>>) {
    const replayable = letters.filter((l) => notReplayable(l) === undefined);
    await replayer.replay(replayable);
    await markReplayed(tx, replayable.map((l) => l.id));
    return { replayed: replayable.map(summary), skipped: letters.filter((l) => !replayable.includes(l)).map(summary) };
  }

  r.post('/admin/dead-letters/replay', async (req, res) => {
    const errors: FieldError[] = [];
    const operator = operatorOf(req, errors);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) errors.push({ field: '(body)', message: 'must be a JSON object' });
    const filter = parseFilter(body, errors);
    filter.status ??= 'dead';
    if (!filter.topic && !filter.group && !filter.eventId) errors.push({ field: 'topic', message: 'give at least one of topic, group and eventId' });
    const limit = limitOf(body.limit, bulkMax, bulkMax, errors);
    if (errors.length) return void invalid(res, errors);
    const out = await inTransaction(pool, async (tx) => {
      const result = await replay(tx, await lockDeadLetters(tx, { filter, limit }));
      const action = await recordAdminAction(tx, { operator, action: 'dead-letters.bulk-replay', target: null, params: { ...filter, limit }, result: { replayed: result.replayed.length, ids: result.replayed.map((x) => x.id) } });
      return { ...result, action };
    });
    log.info('dead letters replayed by filter', { operator, filter, replayed: out.replayed.length });
    res.json(out);
  });

  r.post('/admin/dead-letters/:id/:verb', async (req, res) => {
    const errors: FieldError[] = [];
    const operator = operatorOf(req, errors);
    const { id, verb } = req.params;
    if (verb !== 'replay' && verb !== 'discard') return void problem(res, 404, 'not_found', 'no such route');
    if (!DEAD_LETTER_ID.test(id)) errors.push({ field: 'id', message: 'must be a dead-letter id as the listing gives it' });
    if (errors.length) return void invalid(res, errors);
    const out = await inTransaction(pool, async (tx) => {
      const [letter] = await lockDeadLetters(tx, { id });
      if (!letter) return { status: 404 as const };
      if (letter.status === 'discarded') return { status: 409 as const, message: notReplayable(letter) ?? 'discarded' };
      if (verb === 'discard') {
        await markDiscarded(tx, id);
        const action = await recordAdminAction(tx, { operator, action: 'dead-letters.discard', target: id, params: {}, result: { previous: letter.status } });
        return { status: 200 as const, body: { discarded: summary({ ...letter, status: 'discarded' }), action } };
      }
      const why = notReplayable(letter);
      if (why !== undefined) return { status: 409 as const, message: why };
      const result = await replay(tx, [letter]);
      const action = await recordAdminAction(tx, { operator, action: 'dead-letters.replay', target: id, params: {}, result: { topic: letter.topic, group: letter.group, replays: letter.replays + 1 } });
      return { status: 200 as const, body: { replayed: result.replayed[0], action } };
    });
    if (out.status === 404) return void problem(res, 404, 'not_found', 'no dead letter with this id');
    if (out.status === 409) return void problem(res, 409, 'conflict', out.message);
    log.info(`dead letter ${verb === 'replay' ? 'replayed' : 'discarded'}`, { operator, id });
    res.json(out.body);
  });
  return r;
}
