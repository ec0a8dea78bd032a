/**
 * The peer of the benchmark: the same task operations as this system's UserActor, written as a
 * Restate virtual object keyed by user, the way Restate's documentation shows them. Restate keeps
 * the object's state (one `tasks` record per user) durably in its own log and store, runs one
 * exclusive handler per key at a time (as Dapr's actor turn does), and a reminder is a durable
 * delayed call of the object's own `fire` handler. It does not publish to Kafka, write an audit
 * log, send email, authenticate or rate-limit: see loadtest/README.md ("The peer").
 */
import * as restate from '@restatedev/restate-sdk';

export interface PeerTask {
  id: string;
  title: string;
  priority: 'low' | 'medium' | 'high';
  status: 'open' | 'completed';
  createdAt: number;
  reminders: Array<{ at: number; firedAt?: number }>;
}

export interface CreateInput {
  title: string;
  priority?: PeerTask['priority'];
  reminders?: Array<{ at: string }>;
}

const PRIORITIES = ['low', 'medium', 'high'];

/** The create's input checked as this system's gateway checks it (title, priority, reminder instants); a reason when it is wrong. */
export function parseCreate(input: unknown): { ok: true; value: { title: string; priority: PeerTask['priority']; reminders: number[] } } | { ok: false; reason: string } {
  if (typeof input !== 'object' || input === null) return { ok: false, reason: 'body must be a JSON object' };
  const b = input as Record<string, unknown>;
  if (typeof b.title !== 'string' || b.title.trim() === '' || b.title.length > 500) return { ok: false, reason: 'title must be a non-empty string of at most 500 characters' };
  const priority = b.priority ?? 'medium';
  if (typeof priority !== 'string' || !PRIORITIES.includes(priority)) return { ok: false, reason: `priority must be one of ${PRIORITIES.join(', ')}` };
  const reminders: number[] = [];
  if (b.reminders !== undefined) {
    if (!Array.isArray(b.reminders) || b.reminders.length > 10) return { ok: false, reason: 'reminders must be a list of at most 10 {at}' };
    for (const r of b.reminders as unknown[]) {
      const at = typeof r === 'object' && r !== null ? Date.parse(String((r as { at?: unknown }).at)) : Number.NaN;
      if (!Number.isFinite(at)) return { ok: false, reason: 'every reminder needs an ISO 8601 instant in at' };
      reminders.push(at);
    }
  }
  return { ok: true, value: { title: b.title, priority: priority as PeerTask['priority'], reminders } };
}

type Tasks = Record<string, PeerTask>;

export const todoUser = restate.object({
  name: 'TodoUser',
  handlers: {
    /** Creates a task; each reminder is a durable delayed call of `fire` on this same user. */
    create: async (ctx: restate.ObjectContext, input: CreateInput): Promise<PeerTask> => {
      const parsed = parseCreate(input);
      if (!parsed.ok) throw new restate.TerminalError(parsed.reason, { errorCode: 400 });
      const now = await ctx.date.now();
      const task: PeerTask = {
        id: ctx.rand.uuidv4(), title: parsed.value.title, priority: parsed.value.priority, status: 'open', createdAt: now,
        reminders: parsed.value.reminders.map((at) => ({ at })),
      };
      const tasks = (await ctx.get<Tasks>('tasks')) ?? {};
      tasks[task.id] = task;
      ctx.set('tasks', tasks);
      task.reminders.forEach((r, index) => {
        ctx.objectSendClient<TodoUser>({ name: 'TodoUser' }, ctx.key).fire({ taskId: task.id, index }, restate.rpc.sendOpts({ delay: Math.max(0, r.at - now) }));
      });
      return task;
    },

    /** Fires a reminder at its instant and records when it ran (its lateness is firedAt − at). */
    fire: async (ctx: restate.ObjectContext, input: { taskId: string; index: number }): Promise<void> => {
      const tasks = (await ctx.get<Tasks>('tasks')) ?? {};
      const r = tasks[input.taskId]?.reminders[input.index];
      if (!r || r.firedAt !== undefined) return;
      r.firedAt = await ctx.date.now();
      ctx.set('tasks', tasks);
    },

    /** The user's open tasks, oldest first, at most `limit` (20 by default). */
    list: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, input: { limit?: number } | undefined): Promise<PeerTask[]> => {
      const limit = Math.min(100, Math.max(1, Number(input?.limit ?? 20) || 20));
      const tasks = (await ctx.get<Tasks>('tasks')) ?? {};
      return Object.values(tasks).filter((t) => t.status === 'open').sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
    }),

    /** Every reminder that fired, with its instant and when it ran (the bench's lateness). */
    fired: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Array<{ taskId: string; at: number; firedAt: number }>> => {
      const tasks = (await ctx.get<Tasks>('tasks')) ?? {};
      return Object.values(tasks).flatMap((t) => t.reminders.filter((r) => r.firedAt !== undefined).map((r) => ({ taskId: t.id, at: r.at, firedAt: r.firedAt as number })));
    }),
  },
});

export type TodoUser = typeof todoUser;
