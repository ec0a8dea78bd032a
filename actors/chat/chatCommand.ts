/**
 * UserActor.chat: one conversation turn inside the user's actor, so it is serialised with the
 * user's other calls. Wires the pure conversation (conversation.ts) to the same task commands as
 * the REST calls, and keeps the conversation's context in the actor's Dapr state.
 */
import { MAX_CHAT_MESSAGE_LENGTH as MAX_MESSAGE_LENGTH, type ChatRequest, type ChatResult } from '../../common/actorApi';
import type { ActorDeps } from '../actorDeps';
import * as commands from '../taskCommands';
import * as store from '../taskStore';
import { keyReusedError, requestHash, reusedWithAnotherRequest } from '../idempotency';
import { deliveryReports, withLastDelivery } from '../reminderDelivery';
import { contextFrom, type ChatContext } from './context';
import { converse, type ChatPorts } from './conversation';

/** How many of the user's tasks a reference is matched against (the most recently changed). */
export const MAX_TASKS_MATCHED = 2000;

/** Where the conversation's context lives: the actor's state (Dapr actor state store). */
export interface ChatState {
  load(): Promise<unknown>;
  save(ctx: ChatContext): Promise<void>;
}

export async function chat(deps: ActorDeps, userId: string, req: ChatRequest, state: ChatState): Promise<ChatResult> {
  if (!req || typeof req !== 'object' || typeof req.message !== 'string') {
    return { ok: false, error: { status: 400, code: 'invalid_input', message: 'message is required', details: [{ field: 'message', message: 'must be a string' }] } };
  }
  if (req.message.length > MAX_MESSAGE_LENGTH) {
    return { ok: false, error: { status: 400, code: 'invalid_input', message: 'the message is too long', details: [{ field: 'message', message: `must be at most ${MAX_MESSAGE_LENGTH} characters` }] } };
  }
  // The key binds the message: another message with the same key is refused before anything runs.
  const hash = requestHash('chat', { message: req.message });
  if (req.idempotencyKey) {
    const existing = await store.idempotencyRecord(deps.pool, userId, req.idempotencyKey);
    if (existing && reusedWithAnotherRequest(existing.requestHash, hash)) return keyReusedError();
  }
  const caller = req.caller;
  const timezone = (caller?.zoneGiven ? caller.timezone : undefined) ?? (await store.userTimezone(deps.pool, userId)) ?? caller?.timezone ?? 'UTC';
  const zoneCaller = { ...caller, timezone };
  const ports: ChatPorts = {
    summaries: () => store.listSummaries(deps.pool, userId, MAX_TASKS_MATCHED),
    create: (input) => commands.createTask(deps, userId, { input, idempotencyKey: req.idempotencyKey, caller: zoneCaller }, hash),
    list: (query) => commands.listTasks(deps, userId, { query, caller }),
    get: async (taskId) => {
      const task = await store.getTask(deps.pool, userId, taskId);
      return task && (await withLastDelivery(deps.pool, userId, [task]))[0];
    },
    complete: (taskId) => commands.completeTask(deps, userId, { taskId, caller }),
    reopen: (taskId) => commands.reopenTask(deps, userId, { taskId, caller }),
    remove: (taskId) => commands.deleteTask(deps, userId, { taskId, caller }),
    update: (taskId, changes) => commands.updateTask(deps, userId, { taskId, changes, caller }),
    deliveries: (taskIds, limit) => deliveryReports(deps.pool, userId, taskIds, limit),
  };
  const out = await converse({ message: req.message, now: deps.now(), timezone, context: contextFrom(await state.load()) }, ports);
  await state.save(out.context);
  deps.log.info('chat', { userId, intent: out.intent, tasks: out.tasks.length, traceId: caller?.traceId });
  return { ok: true, reply: out.reply, intent: out.intent, tasks: out.tasks };
}
