/**
 * What a conversation remembers between messages, kept in the user's actor state (Dapr actor state,
 * key CHAT_STATE_KEY): the tasks the last reply was about ("mark it done") and the question the chat
 * asked, if any, so the next message can answer it. Pure data and rules; the actor loads and saves it.
 */
import type { CreateIntent, RefIntent, RemindIntent, UpdateIntent } from './parser';

export const CHAT_STATE_KEY = 'chat';
/** A question older than this is forgotten: the next message starts afresh. */
export const PENDING_TTL_MS = 15 * 60_000;
/** How many tasks "it" may refer to, and how many a question names. */
export const MAX_MENTIONED = 20;
export const MAX_CANDIDATES = 5;

/** An action on one task that waits for the user to say which task. */
export type TaskAction = RefIntent<'complete'> | RefIntent<'reopen'> | RefIntent<'delete'> | UpdateIntent | RemindIntent;

export type PendingQuestion =
  | { kind: 'pick'; action: TaskAction; candidates: string[]; askedAt: string }
  | { kind: 'confirmCreate'; create: CreateIntent; askedAt: string };

export interface ChatContext {
  lastMentioned: string[];
  pending: PendingQuestion | null;
}

export const emptyContext = (): ChatContext => ({ lastMentioned: [], pending: null });

/** The stored context, or an empty one when what is stored is not a context (never trust state blindly). */
export function contextFrom(stored: unknown): ChatContext {
  if (!stored || typeof stored !== 'object') return emptyContext();
  const s = stored as Partial<ChatContext>;
  const lastMentioned = Array.isArray(s.lastMentioned) ? s.lastMentioned.filter((x): x is string => typeof x === 'string').slice(0, MAX_MENTIONED) : [];
  const p = s.pending;
  const pending = p && typeof p === 'object' && (p.kind === 'pick' || p.kind === 'confirmCreate') && typeof p.askedAt === 'string' ? p : null;
  return { lastMentioned, pending };
}

/** The pending question, unless it has expired. */
export function openQuestion(ctx: ChatContext, now: Date): PendingQuestion | null {
  if (!ctx.pending) return null;
  const asked = Date.parse(ctx.pending.askedAt);
  return Number.isFinite(asked) && now.getTime() - asked <= PENDING_TTL_MS ? ctx.pending : null;
}
