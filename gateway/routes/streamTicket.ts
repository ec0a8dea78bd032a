/** POST /v1/stream/ticket: a single-use ticket, valid 60 s, for `GET /v1/stream?ticket=…` (gateway/stream/README.md). */
import { Router } from 'express';
import type { Caller } from '../auth';
import { issueTicket, tickets } from '../stream/ticket';

export function streamTicketRouter(): Router {
  const r = Router();
  r.post('/', (_req, res) => {
    const caller = res.locals.caller as Caller;
    const tokenExp = typeof res.locals.tokenExp === 'number' ? res.locals.tokenExp : undefined;
    res.status(201).json(issueTicket(caller, tickets().key, Date.now(), tokenExp));
  });
  return r;
}
