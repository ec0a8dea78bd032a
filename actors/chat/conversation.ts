/**
 * One chat turn (POST /v1/chat), run inside the user's actor: the message is parsed, a pending
 * question may be answered, task references are resolved against the user's tasks, and the intent
 * runs through the same task commands as the REST calls. The answer is a short reply in the user's
 * zone, the intent, the tasks the reply is about, and the context to remember.
 *
 * No I/O here: everything the turn reads or writes goes through ChatPorts, which the actor wires
 * to its task commands (and unit tests to an in-memory list).
 */
import { RRule } from 'rrule';
import type { ActorResult, ChatIntent, CompleteTaskResult, CreateTaskResult, DeleteTaskResult, ListTasksResult, ReopenTaskResult, UpdateTaskResult } from '../../common/actorApi';
import { reminderTimes } from '../../common/recurrence';
import type { Reminder, Task, TaskCreateInput } from '../../common/tasks/task';
import { readPick, readYesNo } from './answers';
import { MAX_CANDIDATES, MAX_MENTIONED, openQuestion, type ChatContext, type PendingQuestion, type TaskAction } from './context';
import { matchTasks, parseMessage, type CreateIntent, type DeliveryIntent, type ListFilter, type ParsedIntent, type TaskRef, type TaskSummary, type UnknownIntent } from './parser';
import { durationText, whenText } from './whenText';
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
const LIST_SHOWN = 10;

export const HELP_TEXT = [
  'I can manage your tasks. Try:',
  '• "add buy milk tomorrow at 5pm #errands p2"',
  '• "remind me to pay rent on the 1st of every month at 9am"',
  '• "what\'s overdue?", "show my high priority tasks", "what\'s due this week?"',
  '• "mark it as done", "reopen buy stamps", "delete old idea"',
  '• "move the dentist appointment to friday at 3pm", "rename X to Y", "make X urgent"',
  '• "remind me about the grant application 1 hour before"',
  '• "did my reminder go out?", "was the reminder for rent sent?"',
].join('\n');

const quote = (title: string) => `“${title.length > 80 ? `${title.slice(0, 79)}…` : title}”`;

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

  constructor(private readonly turn: ChatTurn, private readonly ports: ChatPorts) {}

  private get zone(): string {
    return this.turn.timezone;
  }

  private when(iso: string): string {
    return whenText(new Date(iso), this.turn.now, this.zone);
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
      return { reply: `OK, I didn't add ${quote(p.create.title)}.`, intent: 'help', tasks: [] };
    }
    const all = await this.summaries();
    const byId = new Map(all.map((t) => [t.id, t]));
    const candidates = p.candidates.map((id) => byId.get(id)).filter((t): t is ChatTaskSummary => t !== undefined);
    const a = readPick(this.turn.message, candidates, all);
    if (!a) return undefined;
    if (a.kind !== 'pick') return { reply: 'OK, I left your tasks as they were.', intent: 'help', tasks: [] };
    return this.act(p.action, a.ids);
  }

  private handle(parsed: ParsedIntent): Promise<Done> | Done {
    switch (parsed.intent) {
      case 'help':
        return { reply: HELP_TEXT, intent: 'help', tasks: [] };
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
        return { reply: 'What is the task? Say it with its title, e.g. "add buy milk tomorrow at 5pm".', intent: 'clarify', tasks: [] };
      case 'missing_when':
        return { reply: 'When? Say a date, a time or an offset, e.g. "tomorrow at 9am" or "1 hour before".', intent: 'clarify', tasks: [] };
      case 'missing_change':
        return { reply: 'What should I change? E.g. "rename X to Y", "move X to friday at 3pm", "make X high priority".', intent: 'clarify', tasks: [] };
      case 'too_long':
        return { reply: `${u.detail} Please say it in fewer words.\n\n${HELP_TEXT}`, intent: 'help', tasks: [] };
      case 'not_understood': {
        const offer = this.offerToAdd();
        if (offer) {
          return {
            reply: `I'm not sure what you mean. Do you want me to add ${quote(offer.title)} as a task? (yes / no)`,
            intent: 'clarify', tasks: [], pending: { kind: 'confirmCreate', create: offer, askedAt: this.turn.now.toISOString() },
          };
        }
        return { reply: `Sorry, I didn't understand that.\n\n${HELP_TEXT}`, intent: 'help', tasks: [] };
      }
      default:
        return { reply: `Sorry, I didn't understand that.\n\n${HELP_TEXT}`, intent: 'help', tasks: [] };
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
    const t = r.task;
    const parts = [`Added ${quote(t.title)}`];
    if (t.due) parts.push(`, due ${this.when(t.due)}`);
    if (t.recurrence) parts.push(`, repeating ${this.ruleText(t.recurrence.rule)}${t.recurrence.from === 'completion' ? ' after each completion' : ''}`);
    const extras = [this.priorityText(t), this.tagsText(t)].filter(Boolean).join(', ');
    if (extras) parts.push(` (${extras})`);
    parts.push('.');
    const remind = this.remindersText(t);
    if (remind) parts.push(` I'll remind you ${remind}.`);
    return { reply: parts.join(''), intent: 'create', tasks: [t] };
  }

  /** "Did my reminder go out?": the latest email of the named task's reminders, or of the user's recent ones. */
  private async deliveries(d: DeliveryIntent): Promise<Done> {
    let taskIds: string[] | null = null;
    if (d.ref) {
      const all = await this.summaries();
      const { matches } = matchTasks(d.ref, all, this.turn.context.lastMentioned);
      if (matches.length !== 1) {
        const which = refText(d.ref);
        const named = matches.slice(0, MAX_CANDIDATES).map((id) => all.find((t) => t.id === id)?.title).filter((x): x is string => x !== undefined);
        const reply = matches.length === 0
          ? `I couldn't find ${which ? `a task matching ${quote(which)}` : 'the task you mean'}. Ask "did my reminder go out?" to hear about your recent reminders.`
          : `Which task do you mean: ${named.map(quote).join(', ')}?`;
        return { reply, intent: 'clarify', tasks: [] };
      }
      taskIds = matches;
    }
    const reports = await this.ports.deliveries(taskIds, DELIVERIES_SHOWN);
    const tasks = (await Promise.all([...new Set(reports.map((r) => r.taskId))].map((id) => this.ports.get(id)))).filter((t): t is Task => t !== null);
    if (reports.length === 0) {
      const reply = taskIds ? 'None of its reminders has gone off yet, so no email was sent.' : 'No reminder of yours has gone off yet, so no email was sent.';
      return { reply, intent: 'delivery', tasks, mentioned: taskIds ?? [] };
    }
    const lines = reports.map((r) => `• ${quote(r.title)}: ${this.deliveryText(r)}`);
    const failed = reports.filter((r) => r.status === 'failed').length;
    const head = reports.length === 1 ? '' : `Your ${taskIds ? '' : 'latest '}reminder emails:\n`;
    const tail = failed ? '\nA reminder that could not be delivered can be sent again by an operator once the cause is fixed.' : '';
    return { reply: reports.length === 1 ? `${lines[0].slice(2)}${tail}` : `${head}${lines.join('\n')}${tail}`, intent: 'delivery', tasks };
  }

  private deliveryText(r: DeliveryReport): string {
    const when = this.when(r.at);
    switch (r.status) {
      case 'sent':
        return `the reminder email went out ${when}.`;
      case 'failed':
        return `the reminder email could not be delivered (${r.reason ?? 'no reason given'}), ${when}.`;
      case 'sending':
        return 'the reminder email is being sent right now.';
      case 'pending':
        return r.attempts === 0
          ? 'the reminder email is about to go out.'
          : `the reminder email has not gone out yet: ${r.attempts} ${r.attempts === 1 ? 'try' : 'tries'} failed (${r.reason ?? 'no reason given'}); it is tried again.`;
    }
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
    const what = this.filterText(f);
    if (r.items.length === 0) return { reply: `You have no ${what}.`, intent: 'list', tasks: [], mentioned: [] };
    const more = r.nextCursor ? ` (showing the first ${r.items.length}; there are more)` : '';
    const lines = r.items.slice(0, LIST_SHOWN).map((t, i) => `${i + 1}. ${this.taskLine(t)}`);
    if (r.items.length > LIST_SHOWN) lines.push(`…and ${r.items.length - LIST_SHOWN} more.`);
    const count = r.items.length === 1 ? `one ${what.replace(/tasks$/, 'task')}` : `${r.items.length}${r.nextCursor ? '+' : ''} ${what}`;
    return { reply: `You have ${count}${more}:\n${lines.join('\n')}`, intent: 'list', tasks: r.items };
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
    const verb = VERBS[action.intent];
    let ids = matches;
    let lead: string;
    if (matches.length === 0) {
      const wanted = action.intent === 'reopen' ? 'completed' : 'open';
      ids = all.filter((t) => t.status === wanted).slice(0, MAX_CANDIDATES).map((t) => t.id);
      const which = refText(action.ref);
      if (ids.length === 0) {
        const none = all.length === 0 ? "You don't have any tasks yet." : `You have no ${wanted} tasks.`;
        return { reply: which ? `I couldn't find a task matching ${quote(which)}. ${none}` : `Which task do you mean? ${none}`, intent: 'clarify', tasks: [] };
      }
      lead = which ? `I couldn't find a task matching ${quote(which)}. Which one should I ${verb}?` : `Which task should I ${verb}?`;
    } else {
      lead = `Which one should I ${verb}?`;
      if (matches.length > MAX_CANDIDATES) lead = `${matches.length} tasks match; which one should I ${verb}? Here are the first ${MAX_CANDIDATES}, or say more of the title.`;
    }
    const shown = ids.slice(0, MAX_CANDIDATES).map((id) => byId.get(id)).filter((t): t is ChatTaskSummary => t !== undefined);
    const lines = shown.map((t, i) => `${i + 1}. ${quote(t.title)}${t.due ? ` (due ${this.when(t.due)})` : ''}${t.status === 'completed' ? ' (done)' : ''}`);
    return {
      reply: `${lead}\n${lines.join('\n')}`,
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
        if (before.status === 'completed') return { reply: `${quote(before.title)} was already done.`, intent: 'complete', tasks: [before] };
        const r = await this.ports.complete(id);
        if (!r.ok) return this.failed(`complete ${quote(before.title)}`, r);
        const next = r.next ? ` Next one is due ${r.next.due ? this.when(r.next.due) : 'soon'}.` : '';
        return { reply: `Done: ${quote(r.task.title)}.${next}`, intent: 'complete', tasks: r.next ? [r.task, r.next] : [r.task] };
      }
      case 'reopen': {
        const before = await this.ports.get(id);
        if (!before) return this.gone();
        if (before.status === 'open') return { reply: `${quote(before.title)} is already open.`, intent: 'reopen', tasks: [before] };
        const r = await this.ports.reopen(id);
        if (!r.ok) return this.failed(`reopen ${quote(before.title)}`, r);
        return { reply: `Reopened ${quote(r.task.title)}${r.task.due ? `, due ${this.when(r.task.due)}` : ''}.`, intent: 'reopen', tasks: [r.task] };
      }
      case 'delete': {
        const before = await this.ports.get(id);
        if (!before) return this.gone();
        const r = await this.ports.remove(id);
        if (!r.ok) return this.failed(`delete ${quote(before.title)}`, r);
        return { reply: `Deleted ${quote(before.title)}.`, intent: 'delete', tasks: [before], mentioned: [] };
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
    const t = r.task;
    const said: string[] = [];
    if (c.title !== undefined) said.push(`renamed to ${quote(t.title)}`);
    if (c.due !== undefined) said.push(t.due ? `due ${this.when(t.due)}` : 'no due date');
    if (c.priority !== undefined) said.push(`${t.priority} priority`);
    if (c.tags?.length) said.push(`tagged ${t.tags.map((g) => `#${g}`).join(' ')}`);
    if (c.reminders !== undefined) said.push(t.reminders.length ? `reminders ${this.remindersText(t) ?? 'set'}` : 'no reminders');
    return { reply: `Updated ${quote(before.title)}: ${said.join(', ')}.`, intent: 'update', tasks: [t] };
  }

  private async remind(action: Extract<TaskAction, { intent: 'remind' }>, id: string): Promise<Done> {
    const before = await this.ports.get(id);
    if (!before) return this.gone();
    if (!before.due && action.reminders.some((r) => 'before' in r)) {
      return {
        reply: `${quote(before.title)} has no due time, so I can't remind you before it. Tell me when it's due, e.g. "move ${before.title} to friday at 3pm", or when to remind you, e.g. "remind me about ${before.title} tomorrow at 9am".`,
        intent: 'clarify', tasks: [before],
      };
    }
    const have = new Set(before.reminders.map((r) => ('before' in r ? `b:${r.before}` : `a:${Date.parse(r.at)}`)));
    const added = action.reminders.filter((r) => !have.has('before' in r ? `b:${r.before}` : `a:${Date.parse(r.at)}`));
    const reminders = [...before.reminders, ...added];
    const r = added.length ? await this.ports.update(id, { reminders }) : { ok: true as const, task: before };
    if (!r.ok) return this.failed(`add the reminder to ${quote(before.title)}`, r);
    const t = r.task;
    const newOnes = t.reminders.filter((x) => added.some((a) => ('before' in a && 'before' in x && a.before === x.before) || ('at' in a && 'at' in x && Date.parse(a.at) === Date.parse(x.at))));
    const text = this.remindersText({ ...t, reminders: newOnes.length ? newOnes : action.reminders.map((x, i) => ({ id: `r${i}`, ...x }) as Reminder) });
    return { reply: `I'll remind you about ${quote(t.title)} ${text ?? 'as asked'}.`, intent: 'remind', tasks: [t] };
  }

  private gone(): Done {
    return { reply: 'That task no longer exists.', intent: 'clarify', tasks: [], mentioned: [] };
  }

  /** An actor error as a reply: what could not be done and why, never a 5xx for the chat's own wording. */
  private failed(what: string, r: Extract<ActorResult<unknown>, { ok: false }>): Done {
    const why = r.error.details?.length ? r.error.details.map((d) => `${d.field} ${d.message}`).join('; ') : r.error.message;
    if (r.error.status === 500) throw new ChatActorError(r.error.message);
    return { reply: `I couldn't ${what}: ${why}.`, intent: 'clarify', tasks: [] };
  }

  private taskLine(t: Task): string {
    const bits = [quote(t.title)];
    if (t.due) bits.push(`due ${this.when(t.due)}`);
    if (t.priority !== 'none') bits.push(`${t.priority} priority`);
    if (t.tags.length) bits.push(t.tags.map((g) => `#${g}`).join(' '));
    if (t.status === 'completed') bits.push('done');
    return bits.join(', ');
  }

  private priorityText(t: Task): string {
    return t.priority === 'none' ? '' : `${t.priority} priority`;
  }

  private tagsText(t: Task): string {
    return t.tags.map((g) => `#${g}`).join(' ');
  }

  /** "at the due time", "30 minutes before (today at 4:30 PM)", "tomorrow at 9:00 AM", joined by "and". */
  private remindersText(t: Task): string | undefined {
    if (!t.reminders.length) return undefined;
    const fires = new Map(reminderTimes({ due: t.due ? new Date(t.due) : null, zone: t.timezone, reminders: t.reminders }).map((f) => [f.id, f.fireAt]));
    const parts = t.reminders.map((r) => {
      const at = fires.get(r.id);
      if ('at' in r) return this.when(r.at);
      if (/^P(?:T0+[HMS]?|0D|T0M)?$/.test(r.before) || durationText(r.before) === '0 minutes') return 'at the due time';
      return `${durationText(r.before)} before${at ? ` (${whenText(at, this.turn.now, this.zone)})` : ''}`;
    });
    return parts.join(' and ');
  }

  private ruleText(rule: string): string {
    try {
      return RRule.fromString(rule).toText();
    } catch {
      return `by the rule ${rule}`;
    }
  }

  private filterText(f: ListFilter): string {
    const words: string[] = [];
    if (f.overdue) words.push('overdue');
    else if (f.status === 'completed') words.push('completed');
    else if (f.status === 'open') words.push('open');
    if (f.priority) words.push(`${f.priority} priority`);
    let s = `${words.join(' ')}${words.length ? ' ' : ''}tasks`;
    if (f.tags?.length) s += ` tagged ${f.tags.map((g) => `#${g}`).join(' ')}`;
    if (f.q) s += ` matching ${quote(f.q)}`;
    if (f.dueAfter && f.dueBefore) s += ` due between ${this.when(f.dueAfter)} and ${this.when(f.dueBefore)}`;
    else if (f.dueBefore) s += ` due before ${this.when(f.dueBefore)}`;
    else if (f.dueAfter) s += ` due from ${this.when(f.dueAfter)}`;
    return s;
  }
}

const VERBS: Record<TaskAction['intent'], string> = { complete: 'mark as done', reopen: 'reopen', delete: 'delete', update: 'change', remind: 'remind you about' };

function refText(ref: TaskRef): string | undefined {
  return ref.kind === 'text' ? ref.text : undefined;
}

/** The actor failed unexpectedly: the caller answers 5xx/unavailable, as REST does. */
export class ChatActorError extends Error {}
