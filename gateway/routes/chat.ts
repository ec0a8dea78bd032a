/**
 * POST /v1/chat: a plain-English message for the caller's UserActor, which parses it, keeps the
 * conversation's context in its state, and runs the intent like the REST calls do.
 */
import { Router } from 'express';
import { ApiError } from '../errors';
import { callActor } from './tasks';

export function chatRouter(): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'invalid_input', 'the body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object with a message' }]);
    }
    // The actor checks the message (a string of at most 1,000 characters; 400 'message is required' naming `message`).
    const { message } = body as { message: string };
    const out = await callActor(req, res, 'chat', { message, idempotencyKey: req.header('idempotency-key') });
    res.json({ reply: out.reply, intent: out.intent, tasks: out.tasks });
  });
  return r;
}
