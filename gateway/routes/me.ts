/**
 * /v1/me: the caller's own data as a whole.
 * - GET /v1/me/export: one JSON document of everything held about the caller: profile, every task
 *   (open and completed), every pending reminder (from their UserActor) and the audit trail (from the
 *   subscribers' audit store, newest first, up to EXPORT_MAX_AUDIT_EVENTS). Recorded as user.exported.
 * - DELETE /v1/me: the UserActor erases its part and emits user.erased (actors/userData.ts); the
 *   subscribers erase theirs when they record it (subscribers/erasure/). The answer says what was
 *   erased: 200 once both parts are done, 202 if the subscribers' part is still under way after
 *   ERASE_WAIT_MS (it completes on its own: the event is in the outbox, which never loses it).
 */
import { Router, type Response } from 'express';
import { config } from '../../common/config';
import type { EventEnvelope } from '../../common/events/envelope';
import type { Caller } from '../auth';
import { invokeSubscribers } from '../daprClient';
import { callActor } from './tasks';

interface AuditPage {
  items: EventEnvelope<unknown>[];
  nextCursor: string | null;
}

type SubscribersErasure =
  | { status: 'pending' }
  | { status: 'done'; auditRows: number; notifications: number; deadLetters: number };

/** The audit store's page size for the export's walk (its largest). */
const EXPORT_AUDIT_PAGE = 500;
const ERASURE_POLL_MS = 200;

const userOf = (res: Response) => (res.locals.caller as Caller).userId;

/** The caller's audit trail, newest first, page by page, up to `max` events. */
async function auditTrail(userId: string, max: number, traceparent?: string): Promise<{ events: EventEnvelope<unknown>[]; complete: boolean }> {
  const events: EventEnvelope<unknown>[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ userId, limit: String(Math.min(EXPORT_AUDIT_PAGE, max - events.length)) });
    if (cursor) q.set('cursor', cursor);
    const page: AuditPage = await invokeSubscribers<AuditPage>(`audit?${q.toString()}`, traceparent);
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && events.length < max);
  return { events, complete: cursor === null };
}

/** Waits up to `waitMs` for the subscribers to have recorded the erasure event. */
async function subscribersErasure(userId: string, eventId: string, waitMs: number, traceparent?: string): Promise<SubscribersErasure> {
  const deadline = Date.now() + waitMs;
  const path = `audit/erasures?${new URLSearchParams({ userId, eventId }).toString()}`;
  for (;;) {
    const answer = await invokeSubscribers<SubscribersErasure>(path, traceparent);
    if (answer.status === 'done' || Date.now() >= deadline) return answer;
    await new Promise((r) => setTimeout(r, ERASURE_POLL_MS));
  }
}

export function meRouter(): Router {
  const r = Router();

  r.get('/export', async (req, res) => {
    const userId = userOf(res);
    const actor = await callActor(req, res, 'exportUser', {});
    const audit = await auditTrail(userId, config.exportMaxAuditEvents, req.header('traceparent'));
    res.setHeader('Content-Disposition', `attachment; filename="todo-export-${encodeURIComponent(userId).replace(/[^A-Za-z0-9._-]/g, '_')}.json"`);
    res.json({
      userId,
      exportedAt: actor.exportedAt,
      profile: actor.profile,
      tasks: actor.tasks,
      reminders: actor.reminders,
      audit: audit.events,
      auditComplete: audit.complete,
    });
  });

  r.delete('/', async (req, res) => {
    const userId = userOf(res);
    const actor = await callActor(req, res, 'eraseUser', {});
    const subs = await subscribersErasure(userId, actor.eventId, config.eraseWaitMs, req.header('traceparent'));
    const done = subs.status === 'done';
    res.status(done ? 200 : 202).json({
      userId,
      eventId: actor.eventId,
      erasedAt: actor.erasedAt,
      complete: done,
      erased: {
        ...actor.erased,
        actorState: true,
        ...(done ? { auditRows: subs.auditRows, notifications: subs.notifications, deadLetters: subs.deadLetters } : {}),
      },
      ...(done ? {} : { pending: ['auditRows', 'notifications', 'deadLetters'], message: 'the subscribers erase the audit trail, notifications and dead letters when they record the user.erased event; it is in the outbox and will be' }),
    });
  });

  return r;
}
