/**
 * The English the chat writes: every reply sentence, task line and clarifying question. The
 * dialogue's control flow (conversation.ts) decides what to say; this module only says it, in
 * the user's zone relative to the turn's now. Pure: no I/O, no task commands.
 */
import { RRule } from 'rrule';
import { reminderTimes } from '../../common/recurrence';
import type { Task } from '../../common/tasks/task';
import type { TaskAction } from './context';
import type { ListFilter, TaskRef } from './parser';
import { durationText, whenText } from './whenText';
import type { DeliveryReport } from '../reminderDelivery';

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

/** How many listed tasks a reply names one by one. */
export const LIST_SHOWN = 10;

/** A task's title in quotes, shortened to 80 characters. */
export const quote = (title: string): string => `“${title.length > 80 ? `${title.slice(0, 79)}…` : title}”`;

const VERBS: Record<TaskAction['intent'], string> = {
  complete: 'mark as done',
  reopen: 'reopen',
  delete: 'delete',
  update: 'change',
  remind: 'remind you about',
};

/** What a task (or a task-like summary) needs for a line in a question. */
export interface NamedTask {
  title: string;
  due: string | null;
  status: string;
}

/** The sentences of one turn: due times are written in `zone`, relative to `now`. */
export class Replies {
  constructor(
    private readonly now: Date,
    private readonly zone: string,
  ) {}

  help(): string {
    return HELP_TEXT;
  }

  /** "Did my reminder for X go out?" when X names no task, or several. */
  deliveryWhich(which: string | undefined, named: string[]): string {
    if (named.length > 1) return `Which task do you mean: ${named.map(quote).join(', ')}?`;
    return `I couldn't find ${which ? `a task matching ${quote(which)}` : 'the task you mean'}. Ask "did my reminder go out?" to hear about your recent reminders.`;
  }

  /** The latest email of each reminder: sent and when, failed with its reason, or still being tried. */
  deliveries(reports: readonly DeliveryReport[], forTask: boolean): string {
    if (reports.length === 0) return forTask ? 'None of its reminders has gone off yet, so no email was sent.' : 'No reminder of yours has gone off yet, so no email was sent.';
    const lines = reports.map((r) => `${quote(r.title)}: ${this.deliveryText(r)}`);
    const tail = reports.some((r) => r.status === 'failed') ? '\nA reminder that could not be delivered can be sent again by an operator once the cause is fixed.' : '';
    if (lines.length === 1) return `${lines[0]}${tail}`;
    return `Your ${forTask ? '' : 'latest '}reminder emails:\n${lines.map((l) => `• ${l}`).join('\n')}${tail}`;
  }

  private deliveryText(r: DeliveryReport): string {
    switch (r.status) {
      case 'sent':
        return `the reminder email went out ${whenText(new Date(r.at), this.now, this.zone)}.`;
      case 'failed':
        return `the reminder email could not be delivered (${r.reason ?? 'no reason given'}), ${whenText(new Date(r.at), this.now, this.zone)}.`;
      case 'sending':
        return 'the reminder email is being sent right now.';
      case 'pending':
        return r.attempts === 0
          ? 'the reminder email is about to go out.'
          : `the reminder email has not gone out yet: ${r.attempts} ${r.attempts === 1 ? 'try' : 'tries'} failed (${r.reason ?? 'no reason given'}); it is tried again.`;
    }
  }

  missingTitle(): string {
    return 'What is the task? Say it with its title, e.g. "add buy milk tomorrow at 5pm".';
  }

  missingWhen(): string {
    return 'When? Say a date, a time or an offset, e.g. "tomorrow at 9am" or "1 hour before".';
  }

  missingChange(): string {
    return 'What should I change? E.g. "rename X to Y", "move X to friday at 3pm", "make X high priority".';
  }

  tooLong(detail: string): string {
    return `${detail} Please say it in fewer words.\n\n${HELP_TEXT}`;
  }

  notUnderstood(): string {
    return `Sorry, I didn't understand that.\n\n${HELP_TEXT}`;
  }

  offerToAdd(title: string): string {
    return `I'm not sure what you mean. Do you want me to add ${quote(title)} as a task? (yes / no)`;
  }

  declinedCreate(title: string): string {
    return `OK, I didn't add ${quote(title)}.`;
  }

  leftAsTheyWere(): string {
    return 'OK, I left your tasks as they were.';
  }

  gone(): string {
    return 'That task no longer exists.';
  }

  /** An actor error the user can act on: what could not be done and why. */
  failed(what: string, why: string): string {
    return `I couldn't ${what}: ${why}.`;
  }

  added(t: Task): string {
    const parts = [`Added ${quote(t.title)}`];
    if (t.due) parts.push(`, due ${this.when(t.due)}`);
    if (t.recurrence) {
      parts.push(`, repeating ${ruleText(t.recurrence.rule)}${t.recurrence.from === 'completion' ? ' after each completion' : ''}`);
    }
    const extras = [priorityText(t), tagsText(t.tags)].filter(Boolean).join(', ');
    if (extras) parts.push(` (${extras})`);
    parts.push('.');
    const remind = this.reminders(t);
    if (remind) parts.push(` I'll remind you ${remind}.`);
    return parts.join('');
  }

  /** The answer to a list: a count, then the first LIST_SHOWN tasks one a line. */
  listed(f: ListFilter, items: Task[], more: boolean): string {
    const what = this.filter(f);
    if (items.length === 0) return `You have no ${what}.`;
    const shownMore = more ? ` (showing the first ${items.length}; there are more)` : '';
    const lines = items.slice(0, LIST_SHOWN).map((t, i) => `${i + 1}. ${this.taskLine(t)}`);
    if (items.length > LIST_SHOWN) lines.push(`…and ${items.length - LIST_SHOWN} more.`);
    const count = items.length === 1 ? `one ${what.replace(/tasks$/, 'task')}` : `${items.length}${more ? '+' : ''} ${what}`;
    return `You have ${count}${shownMore}:\n${lines.join('\n')}`;
  }

  /** No task to offer for an action: why, with what was asked for if it was named. */
  nothingToPick(wanted: 'open' | 'completed', which: string | undefined, hasTasks: boolean): string {
    const none = hasTasks ? `You have no ${wanted} tasks.` : "You don't have any tasks yet.";
    return which ? `I couldn't find a task matching ${quote(which)}. ${none}` : `Which task do you mean? ${none}`;
  }

  /** The question that names the candidates for an action. */
  whichOne(action: TaskAction, candidates: NamedTask[], how: { matched: number; unmatched?: string; max: number }): string {
    const verb = VERBS[action.intent];
    let lead: string;
    if (how.matched === 0) {
      lead = how.unmatched
        ? `I couldn't find a task matching ${quote(how.unmatched)}. Which one should I ${verb}?`
        : `Which task should I ${verb}?`;
    } else if (how.matched > how.max) {
      lead = `${how.matched} tasks match; which one should I ${verb}? Here are the first ${how.max}, or say more of the title.`;
    } else {
      lead = `Which one should I ${verb}?`;
    }
    const lines = candidates.map(
      (t, i) => `${i + 1}. ${quote(t.title)}${t.due ? ` (due ${this.when(t.due)})` : ''}${t.status === 'completed' ? ' (done)' : ''}`,
    );
    return `${lead}\n${lines.join('\n')}`;
  }

  alreadyDone(title: string): string {
    return `${quote(title)} was already done.`;
  }

  completed(t: Task, next: Task | undefined): string {
    const after = next ? ` Next one is due ${next.due ? this.when(next.due) : 'soon'}.` : '';
    return `Done: ${quote(t.title)}.${after}`;
  }

  alreadyOpen(title: string): string {
    return `${quote(title)} is already open.`;
  }

  reopened(t: Task): string {
    return `Reopened ${quote(t.title)}${t.due ? `, due ${this.when(t.due)}` : ''}.`;
  }

  deleted(title: string): string {
    return `Deleted ${quote(title)}.`;
  }

  /** "Updated “x”: renamed to “y”, due friday at 3:00 PM": only what the message changed. */
  updated(beforeTitle: string, t: Task, changed: { title: boolean; due: boolean; priority: boolean; tags: boolean; reminders: boolean }): string {
    const said: string[] = [];
    if (changed.title) said.push(`renamed to ${quote(t.title)}`);
    if (changed.due) said.push(t.due ? `due ${this.when(t.due)}` : 'no due date');
    if (changed.priority) said.push(`${t.priority} priority`);
    if (changed.tags) said.push(`tagged ${tagsText(t.tags)}`);
    if (changed.reminders) said.push(t.reminders.length ? `reminders ${this.reminders(t) ?? 'set'}` : 'no reminders');
    return `Updated ${quote(beforeTitle)}: ${said.join(', ')}.`;
  }

  noDueForBefore(title: string): string {
    return `${quote(title)} has no due time, so I can't remind you before it. Tell me when it's due, e.g. "move ${title} to friday at 3pm", or when to remind you, e.g. "remind me about ${title} tomorrow at 9am".`;
  }

  /** The reminders set by a remind message (`shown`: a task carrying just those reminders). */
  willRemind(title: string, shown: Task): string {
    return `I'll remind you about ${quote(title)} ${this.reminders(shown) ?? 'as asked'}.`;
  }

  /** "at the due time", "30 minutes before (today at 4:30 PM)", "tomorrow at 9:00 AM", joined by "and". */
  reminders(t: Task): string | undefined {
    if (!t.reminders.length) return undefined;
    const fires = new Map(
      reminderTimes({ due: t.due ? new Date(t.due) : null, zone: t.timezone, reminders: t.reminders }).map((f) => [f.id, f.fireAt]),
    );
    const parts = t.reminders.map((r) => {
      const at = fires.get(r.id);
      if ('at' in r) return this.when(r.at);
      if (/^P(?:T0+[HMS]?|0D|T0M)?$/.test(r.before) || durationText(r.before) === '0 minutes') return 'at the due time';
      return `${durationText(r.before)} before${at ? ` (${whenText(at, this.now, this.zone)})` : ''}`;
    });
    return parts.join(' and ');
  }

  private when(iso: string): string {
    return whenText(new Date(iso), this.now, this.zone);
  }

  private taskLine(t: Task): string {
    const bits = [quote(t.title)];
    if (t.due) bits.push(`due ${this.when(t.due)}`);
    if (t.priority !== 'none') bits.push(`${t.priority} priority`);
    if (t.tags.length) bits.push(tagsText(t.tags));
    if (t.status === 'completed') bits.push('done');
    return bits.join(', ');
  }

  /** "overdue high priority tasks tagged #work due before friday at 5:00 PM". */
  private filter(f: ListFilter): string {
    const words: string[] = [];
    if (f.overdue) words.push('overdue');
    else if (f.status === 'completed') words.push('completed');
    else if (f.status === 'open') words.push('open');
    if (f.priority) words.push(`${f.priority} priority`);
    let s = `${words.join(' ')}${words.length ? ' ' : ''}tasks`;
    if (f.tags?.length) s += ` tagged ${tagsText(f.tags)}`;
    if (f.q) s += ` matching ${quote(f.q)}`;
    if (f.dueAfter && f.dueBefore) s += ` due between ${this.when(f.dueAfter)} and ${this.when(f.dueBefore)}`;
    else if (f.dueBefore) s += ` due before ${this.when(f.dueBefore)}`;
    else if (f.dueAfter) s += ` due from ${this.when(f.dueAfter)}`;
    return s;
  }
}

/** The text a task reference names, if it names one by its words. */
export function refText(ref: TaskRef): string | undefined {
  return ref.kind === 'text' ? ref.text : undefined;
}

function priorityText(t: Task): string {
  return t.priority === 'none' ? '' : `${t.priority} priority`;
}

function tagsText(tags: string[]): string {
  return tags.map((g) => `#${g}`).join(' ');
}

function ruleText(rule: string): string {
  try {
    return RRule.fromString(rule).toText();
  } catch {
    return `by the rule ${rule}`;
  }
}
