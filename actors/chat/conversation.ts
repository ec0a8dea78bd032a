/**
 * One chat turn (POST /v1/chat), run inside the user's actor: the message is parsed, a pending
 * question may be answered, task references are resolved against the user's tasks, and the intent
 * runs through the same task commands as the REST calls. The answer is a short reply in the user's
 * zone, the intent, the tasks the reply is about, and the context to remember.
 *
 * No I/O here: everything the turn reads or writes goes through ChatPorts, which the actor wires
 * to its task commands (and unit tests to an in-memory list).
 */
import type { ActorResult, ChatIntent, CompleteTaskResult, CreateTaskResult, DeleteTaskResult, ListTasksResult, ReopenTaskResult, UpdateTaskResult } from '../../common/actorApi';
import type { Reminder, Task, TaskCreateInput } from '../../common/tasks/task';
import { readPick, readYesNo } from './answers';
import { MAX_CANDIDATES, MAX_MENTIONED, openQuestion, type ChatContext, type PendingQuestion, type TaskAction } from './context';
import { matchTasks, parseMessage, type CreateIntent, type DeliveryIntent, type ListFilter, type ParsedIntent, type TaskSummary, type UnknownIntent } from './parser';
import { newReminders, reminderKey } from './reminderKey';
import { quote, refText, Replies } from './replies';
import type { DeliveryReport } from '../reminderDelivery';


/** A task as the conversation needs it to resolve references. */
export interface ChatTaskSummary extends TaskSummary {
  due: string | null;
}

export interface ChatPorts {
  /** The user's tasks, most recently changed first (a bounded number). */
  summaries(): Promise<ChatTaskSummary[]>;
  create(input: TaskCreateInput): Promise<CreateTaskResult>;
  list(query: Record<string, unknown>): Promise<ListTasksResult>;
  get(taskId: string): Promise<Task | null>;
  complete(taskId: string): Promise<CompleteTaskResult>;
  reopen(taskId: string): Promise<ReopenTaskResult>;
  remove(taskId: string): Promise<DeleteTaskResult>;
  update(taskId: string, changes: Record<string, unknown>): Promise<UpdateTaskResult>;
  /** The latest email of each reminder, newest first: of these tasks, or of all the user's (null). */
  deliveries(taskIds: string[] | null, limit: number): Promise<DeliveryReport[]>;
}

export interface ChatTurn {
  message: string;
  now: Date;
  /** The user's IANA zone: dates in the message are read in it, due times written in it. */
  timezone: string;
  context: ChatContext;
}

export interface ChatOutcome {
  reply: string;
  intent: ChatIntent;
  tasks: Task[];
  context: ChatContext;
}

export const LIST_LIMIT = 20;
/** Reminder emails a "did my reminder go out?" answer names. */
export const DELIVERIES_SHOWN = 5;

type Done = Omit<ChatOutcome, 'context'> & { mentioned?: string[]; pending?: PendingQuestion | null };

export async function converse(turn: ChatTurn, ports: ChatPorts): Promise<ChatOutcome> {
  const conv = new Conversation(turn, ports);
  const done = await conv.run();
  const mentioned = done.mentioned ?? done.tasks.map((t) => t.id);
  return {
    reply: done.reply,
    intent: done.intent,
    tasks: done.tasks,
    context: {
      // A reply about no task keeps "it" pointing where it pointed.
      lastMentioned: mentioned.length ? mentioned.slice(0, MAX_MENTIONED) : turn.context.lastMentioned,
      pending: done.pending ?? null,
    },
  };
}

class Conversation {
  private summaryCache?: ChatTaskSummary[];
  private readonly say: Replies;

  constructor(
    private readonly turn: ChatTurn,
    private readonly ports: ChatPorts,
  ) {
    this.say = new Replies(turn.now, turn.timezone);
  }

  private get zone(): string {
    return this.turn.timezone;
  }

  private async summaries(): Promise<ChatTaskSummary[]> {
    this.summaryCache ??= await this.ports.summaries();
    return this.summaryCache;
  }

  async run(): Promise<Done> {
    const pending = openQuestion(this.turn.context, this.turn.now);
    if (pending) {
      const answered = await this.answer(pending);
      if (answered) return answered;
    }
    const parsed = parseMessage(this.turn.message, { now: this.turn.now, timezone: this.zone });
    return this.handle(parsed);
  }

  /** The reply to an answer to the pending question, or undefined when the message is not an answer. */
  private async answer(p: PendingQuestion): Promise<Done | undefined> {
    if (p.kind === 'confirmCreate') {
      const a = readYesNo(this.turn.message);
      if (!a) return undefined;
      if (a.kind === 'yes') return this.create(p.create);
      return { reply: this.say.declinedCreate(p.create.title), intent: 'help', tasks: [] };
    }
    const all = await this.summaries();
    const byId = new Map(all.map((t) => [t.id, t]));
    const candidates = p.candidates.map((id) => byId.get(id)).filter((t): t is ChatTaskSummary => t !== undefined);
    const a = readPick(this.turn.message, candidates, all);
    if (!a) return undefined;
    if (a.kind !== 'pick') return { reply: this.say.leftAsTheyWere(), intent: 'help', tasks: [] };
    return this.act(p.action, a.ids);
  }

  private handle(parsed: ParsedIntent): Promise<Done> | Done {
    switch (parsed.intent) {
      case 'help':
        return { reply: this.say.help(), intent: 'help', tasks: [] };
      case 'create':
        return this.create(parsed);
      case 'list':
        return this.list(parsed.filter);
      case 'complete':
      case 'reopen':
      case 'delete':
      case 'update':
      case 'remind':
        return this.resolveAndAct(parsed);
      case 'delivery':
        return this.deliveries(parsed);
      case 'unknown':
        return this.notUnderstood(parsed);
    }
  }

  private notUnderstood(u: UnknownIntent): Done {
    switch (u.reason) {
      case 'missing_title':
        return { reply: this.say.missingTitle(), intent: 'clarify', tasks: [] };
      case 'missing_when':
        return { reply: this.say.missingWhen(), intent: 'clarify', tasks: [] };
      case 'missing_change':
        return { reply: this.say.missingChange(), intent: 'clarify', tasks: [] };
      case 'too_long':
        return { reply: this.say.tooLong(u.detail), intent: 'help', tasks: [] };
      case 'not_understood': {
        const offer = this.offerToAdd();
        if (offer) {
          return {
            reply: this.say.offerToAdd(offer.title),
            intent: 'clarify',
            tasks: [],
            pending: { kind: 'confirmCreate', create: offer, askedAt: this.turn.now.toISOString() },
          };
        }
        return { reply: this.say.notUnderstood(), intent: 'help', tasks: [] };
      }
      default:
        return { reply: this.say.notUnderstood(), intent: 'help', tasks: [] };
    }
  }

  /**
   * A short statement without a command ("buy milk") may be a task: offer it, never create it
   * unasked. Questions and single characters are not offered.
   */
  private offerToAdd(): CreateIntent | undefined {
    const text = this.turn.message.trim();
    const words = text.split(/\s+/);
    if (words.length > 8 || /\?\s*$/.test(text) || !/\p{L}{2,}/u.test(text)) return undefined;
    if (/^(?:what|when|where|who|why|how|is|are|do|does|did|can|could|should|will|would|which|any|yes|no|ok|okay|thanks|thank)\b/i.test(text)) return undefined;
    const guess = parseMessage(`add ${text}`, { now: this.turn.now, timezone: this.zone });
    return guess.intent === 'create' ? guess : undefined;
  }

  private async create(c: CreateIntent): Promise<Done> {
    const input: TaskCreateInput = { title: c.title, due: c.due, timezone: c.timezone || this.zone };
    if (c.priority) input.priority = c.priority;
    if (c.tags?.length) input.tags = c.tags;
    if (c.recurrence) input.recurrence = c.recurrence;
    if (c.reminders?.length) input.reminders = c.reminders;
    const r = await this.ports.create(input);
    if (!r.ok) return this.failed('add that task', r);
    return { reply: this.say.added(r.task), intent: 'create', tasks: [r.task] };
  }

  /** "Did my reminder go out?": the latest email of the named task's reminders, or of the user's recent ones. */
  private async deliveries(d: DeliveryIntent): Promise<Done> {
    let taskIds: string[] | null = null;
    if (d.ref) {
      const all = await this.summaries();
      const { matches } = matchTasks(d.ref, all, this.turn.context.lastMentioned);
      if (matches.length !== 1) {
        const named = matches.slice(0, MAX_CANDIDATES).map((id) => all.find((t) => t.id === id)?.title).filter((x): x is string => x !== undefined);
        return { reply: this.say.deliveryWhich(refText(d.ref), named), intent: 'clarify', tasks: [] };
      }
      taskIds = matches;
    }
    const reports = await this.ports.deliveries(taskIds, DELIVERIES_SHOWN);
    const tasks = (await Promise.all([...new Set(reports.map((r) => r.taskId))].map((id) => this.ports.get(id)))).filter((t): t is Task => t !== null);
    return { reply: this.say.deliveries(reports, taskIds !== null), intent: 'delivery', tasks, mentioned: reports.length ? undefined : taskIds ?? [] };
  }

  private async list(f: ListFilter): Promise<Done> {
    const query: Record<string, unknown> = { limit: String(LIST_LIMIT), sort: 'due', order: 'asc' };
    if (f.status) query.status = f.status;
    if (f.priority) query.priority = f.priority;
    if (f.tags?.length) query.tag = f.tags;
    if (f.q) query.q = f.q;
    if (f.overdue) query.overdue = 'true';
    if (f.dueBefore) query.dueBefore = f.dueBefore;
    if (f.dueAfter) query.dueAfter = f.dueAfter;
    const r = await this.ports.list(query);
    if (!r.ok) return this.failed('list your tasks', r);
    const reply = this.say.listed(f, r.items, Boolean(r.nextCursor));
    return r.items.length === 0 ? { reply, intent: 'list', tasks: [], mentioned: [] } : { reply, intent: 'list', tasks: r.items };
  }

  private async resolveAndAct(action: TaskAction): Promise<Done> {
    const prefer = action.intent === 'reopen' ? 'completed' : action.intent === 'delete' ? undefined : 'open';
    const all = await this.summaries();
    const { matches } = matchTasks(action.ref, all, this.turn.context.lastMentioned, prefer ? { prefer } : undefined);
    if (matches.length === 1) return this.act(action, matches);
    return this.askWhich(action, matches, all);
  }

  /** Asks which task is meant, naming the candidates; the next message may answer. */
  private askWhich(action: TaskAction, matches: string[], all: ChatTaskSummary[]): Done {
    const byId = new Map(all.map((t) => [t.id, t]));
    let ids = matches;
    if (matches.length === 0) {
      const wanted = action.intent === 'reopen' ? 'completed' : 'open';
      ids = all
        .filter((t) => t.status === wanted)
        .slice(0, MAX_CANDIDATES)
        .map((t) => t.id);
      if (ids.length === 0) return { reply: this.say.nothingToPick(wanted, refText(action.ref), all.length > 0), intent: 'clarify', tasks: [] };
    }
    const shown = ids
      .slice(0, MAX_CANDIDATES)
      .map((id) => byId.get(id))
      .filter((t): t is ChatTaskSummary => t !== undefined);
    return {
      reply: this.say.whichOne(action, shown, { matched: matches.length, unmatched: refText(action.ref), max: MAX_CANDIDATES }),
      intent: 'clarify',
      tasks: [],
      mentioned: [],
      pending: { kind: 'pick', action, candidates: shown.map((t) => t.id), askedAt: this.turn.now.toISOString() },
    };
  }

  /** Runs the action on each chosen task; one reply for all. */
  private async act(action: TaskAction, ids: string[]): Promise<Done> {
    const outcomes: Done[] = [];
    for (const id of ids.slice(0, MAX_CANDIDATES)) outcomes.push(await this.actOn(action, id));
    if (outcomes.length === 1) return outcomes[0];
    const clarify = outcomes.find((o) => o.intent === 'clarify');
    return {
      reply: outcomes.map((o) => o.reply).join('\n'),
      intent: clarify ? 'clarify' : outcomes[0].intent,
      tasks: outcomes.flatMap((o) => o.tasks),
    };
  }

  private async actOn(action: TaskAction, id: string): Promise<Done> {
    switch (action.intent) {
      case 'complete': {
        const before = await this.ports.get(id);
        if (!before) return this.gone();
        if (before.status === 'completed') return { reply: this.say.alreadyDone(before.title), intent: 'complete', tasks: [before] };
        const r = await this.ports.complete(id);
        if (!r.ok) return this.failed(`complete ${quote(before.title)}`, r);
        return { reply: this.say.completed(r.task, r.next ?? undefined), intent: 'complete', tasks: r.next ? [r.task, r.next] : [r.task] };
      }
      case 'reopen': {
        const before = await this.ports.get(id);
        if (!before) return this.gone();
        if (before.status === 'open') return { reply: this.say.alreadyOpen(before.title), intent: 'reopen', tasks: [before] };
        const r = await this.ports.reopen(id);
        if (!r.ok) return this.failed(`reopen ${quote(before.title)}`, r);
        return { reply: this.say.reopened(r.task), intent: 'reopen', tasks: [r.task] };
      }
      case 'delete': {
        const before = await this.ports.get(id);
        if (!before) return this.gone();
        const r = await this.ports.remove(id);
        if (!r.ok) return this.failed(`delete ${quote(before.title)}`, r);
        return { reply: this.say.deleted(before.title), intent: 'delete', tasks: [before], mentioned: [] };
      }
      case 'update':
        return this.update(action, id);
      case 'remind':
        return this.remind(action, id);
    }
  }

  private async update(action: Extract<TaskAction, { intent: 'update' }>, id: string): Promise<Done> {
    const before = await this.ports.get(id);
    if (!before) return this.gone();
    const c = action.changes;
    const changes: Record<string, unknown> = {};
    if (c.title !== undefined) changes.title = c.title;
    if (c.due !== undefined) changes.due = c.due;
    if (c.priority !== undefined) changes.priority = c.priority;
    if (c.tags?.length) changes.tags = [...new Set([...before.tags, ...c.tags])];
    if (c.reminders !== undefined) changes.reminders = c.reminders;
    if (c.due === null && before.recurrence) changes.recurrence = null; // a series needs a due: removing it ends the repetition
    const r = await this.ports.update(id, changes);
    if (!r.ok) return this.failed(`change ${quote(before.title)}`, r);
    const changed = {
      title: c.title !== undefined,
      due: c.due !== undefined,
      priority: c.priority !== undefined,
      tags: Boolean(c.tags?.length),
      reminders: c.reminders !== undefined,
    };
    return { reply: this.say.updated(before.title, r.task, changed), intent: 'update', tasks: [r.task] };
  }

  private async remind(action: Extract<TaskAction, { intent: 'remind' }>, id: string): Promise<Done> {
    const before = await this.ports.get(id);
    if (!before) return this.gone();
    if (!before.due && action.reminders.some((r) => 'before' in r)) {
      return { reply: this.say.noDueForBefore(before.title), intent: 'clarify', tasks: [before] };
    }
    const added = newReminders(before.reminders, action.reminders);
    const r = added.length ? await this.ports.update(id, { reminders: [...before.reminders, ...added] }) : { ok: true as const, task: before };
    if (!r.ok) return this.failed(`add the reminder to ${quote(before.title)}`, r);
    const t = r.task;
    // The reply names the reminders this message added (as stored, with their ids and fire times),
    // or, when the task held them all already, the ones asked for.
    const addedKeys = new Set(added.map(reminderKey));
    const newOnes = t.reminders.filter((x) => addedKeys.has(reminderKey(x)));
    const shown = newOnes.length ? newOnes : action.reminders.map((x, i) => ({ id: `r${i}`, ...x }) as Reminder);
    return { reply: this.say.willRemind(t.title, { ...t, reminders: shown }), intent: 'remind', tasks: [t] };
  }

  private gone(): Done {
    return { reply: this.say.gone(), intent: 'clarify', tasks: [], mentioned: [] };
  }

  /** An actor error as a reply: what could not be done and why, never a 5xx for the chat's own wording. */
  private failed(what: string, r: Extract<ActorResult<unknown>, { ok: false }>): Done {
    const why = r.error.details?.length ? r.error.details.map((d) => `${d.field} ${d.message}`).join('; ') : r.error.message;
    if (r.error.status === 500) throw new ChatActorError(r.error.message);
    return { reply: this.say.failed(what, why), intent: 'clarify', tasks: [] };
  }
}

/** The actor failed unexpectedly: the caller answers 5xx/unavailable, as REST does. */
export class ChatActorError extends Error {}
