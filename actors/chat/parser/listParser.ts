/**
 * "Show me …" / "what's …" questions → a list filter for GET /v1/tasks.
 *
 *   status    open by default; "completed", "done", "finished", "what did I finish" → completed;
 *             "including completed", "everything" → any status
 *   priority  "urgent", "high priority", "p1" …        tags  "#work", "tagged work and home", "with tag x"
 *   overdue   "overdue", "late", "past due"              q     "about X", "mentioning X", "search for X",
 *                                                             "find X", "X tasks", "quoted words"
 *   due       today, tonight, tomorrow, yesterday, this/next/last week, this weekend, this/next month,
 *             the next N days, due before/by/until <date>, due after <date>, on <date> / <date>
 *
 * Windows are whole days in the user's zone, weeks start on Monday, expressed as UTC instants:
 * dueAfter is inclusive (start of the first day), dueBefore exclusive (start of the day after).
 */
import { addDays, addMonths, at, startOfWeek, type CivilDate } from './civil';
import { findDates } from './dates';
import { NUMBER, numberOf } from './numbers';
import { extractPriority } from './priority';
import { punch, punchAll } from './spans';
import { extractTags, cleanTag } from './tags';
import { leftover } from './title';
import type { ListFilter, ListIntent } from './types';
import { instantOf, iso } from './zone';
import type { Zoned } from './zoned';

const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

const START = new RegExp(`^(?:show|list|display|view|see|get me|give me|find|search|look up|lookup|look for|what|what's|whats|what're|which|do i have|did i|have i|anything|any|tell me|how many|pull up|bring up|overdue|late|tasks|todos|to-dos|agenda|everything)${E}`, 'iu');
/** "my tasks", "completed tasks this week", "all my todos": an adjective start needs a task noun. */
const ADJECTIVE_START = new RegExp(`^(?:my|all|completed|finished|done|open|pending|today's|tomorrow's|this week's|urgent|high|low|medium|important)${E}`, 'iu');
const TASK_NOUN = new RegExp(`${B}(?:tasks?|todos?|to-?dos?|items?|stuff|things|list|agenda)${E}`, 'iu');
const NOUN = new RegExp(`${B}(?:tasks?|todos?|to-?dos?|to do|items?|things|stuff|reminders|list|agenda|plate|schedule|planned|left|remaining|next|pending|outstanding|due|open|have|got|everything|anything|finish|finished|complete|completed|done)${E}`, 'iu');

const TAGGED = new RegExp(`${B}(?:tagged|labell?ed|with (?:the )?(?:tags?|labels?)|in (?:the )?(?:tags?|labels?)) (?:with |as )?(#?[\\p{L}\\p{N}_-]+(?:(?:, and |, ?| and | & )#?[\\p{L}\\p{N}_-]+){0,9})`, 'giu');
const OVERDUE = new RegExp(`${B}(?:overdue|late|past due|past their due dates?|missed|behind schedule)${E}`, 'giu');
const ANY_STATUS = new RegExp(`${B}(?:(?:including|incl\\.?|plus|and|with|even) (?:the )?(?:completed|done|finished|closed)(?: ones| tasks)?|(?:done|completed|finished) (?:and|or|&) (?:open|not done)|(?:open|not done) (?:and|or|&) (?:done|completed|finished)|everything)${E}`, 'giu');
const OPEN = new RegExp(`${B}(?:(?:to |need to |have to )(?:get |be )?(?:do|done)|not (?:yet )?(?:completed|done|finished|complete)|open|pending|outstanding|remaining|left|incomplete|unfinished|undone|active|still to do)${E}`, 'giu');
const COMPLETED = new RegExp(`${B}(?:completed|done|finished|closed|ticked off|checked off|crossed off|did i (?:do|finish|complete|get done)|have i (?:done|finished|completed)|i(?:'ve| have)? (?:did|finished|completed|done))${E}`, 'giu');

type Window = { after?: CivilDate; before?: CivilDate };
const WINDOWS: Array<{ re: RegExp; window: (z: Zoned, m: RegExpExecArray) => Window | undefined }> = [
  { re: new RegExp(`${B}(?:due |for |on )?(?:today|tonight|today's)${E}`, 'giu'), window: (z) => ({ after: z.today, before: addDays(z.today, 1) }) },
  { re: new RegExp(`${B}(?:due |for |on )?(?:tomorrow|tomorrow's)${E}`, 'giu'), window: (z) => ({ after: addDays(z.today, 1), before: addDays(z.today, 2) }) },
  { re: new RegExp(`${B}(?:due |for |on )?yesterday${E}`, 'giu'), window: (z) => ({ after: addDays(z.today, -1), before: z.today }) },
  {
    re: new RegExp(`${B}(?:due |for |in |over )?(?:the )?(?:next|coming) (${NUMBER}) days${E}`, 'giu'),
    window: (z, m) => {
      const n = numberOf(m[1]);
      return n >= 1 ? { after: z.today, before: addDays(z.today, n) } : undefined;
    },
  },
  {
    re: new RegExp(`${B}(?:due |for |in |on )?(?:the )?(this|next|last|coming) (week|weekend|month)${E}`, 'giu'),
    window: (z, m) => {
      const which = m[1].toLowerCase();
      const shift = which === 'next' ? 1 : which === 'last' ? -1 : 0;
      const unit = m[2].toLowerCase();
      if (unit === 'month') {
        const first = addMonths({ year: z.today.year, month: z.today.month, day: 1 }, shift);
        return { after: first, before: addMonths(first, 1) };
      }
      const monday = addDays(startOfWeek(z.today), shift * 7);
      return unit === 'week' ? { after: monday, before: addDays(monday, 7) } : { after: addDays(monday, 5), before: addDays(monday, 7) };
    },
  },
];
const BEFORE_WORD = new RegExp(`${B}(?:due )?(?:before|by|until|till|no later than) `, 'giu');
const AFTER_WORD = new RegExp(`${B}(?:due )?(?:after|from|since|starting) `, 'giu');

const Q_TRIGGER = new RegExp(`${B}(?:about|mentioning|containing|matching|called|named|titled|regarding|related to|with the words?|that (?:mentions?|contains?|says?)|search(?: for)?|look(?:ing)? (?:for|up)|lookup|find) (.+)$`, 'iu');
const QUOTED = /"([^"]{1,200})"/u;
const X_TASKS = new RegExp(`^(?:show|list|display|view|get|see|find)(?: me)?(?: all)?(?: (?:my|the|of my|all my))? ([\\p{L}\\p{N}][\\p{L}\\p{N}-]*) (?:tasks|todos|to-dos|items|stuff|things)${E}`, 'iu');
const Q_FILLER = new Set(['my', 'the', 'a', 'an', 'all', 'any', 'me', 'tasks', 'task', 'todos', 'todo', 'items', 'item', 'things', 'stuff', 'open', 'everything', 'something', 'anything', 'i', 'have', 'do', 'for', 'with', 'in', 'of', 'please', 'ones', 'one']);

function cleanQuery(raw: string): string | undefined {
  const words = leftover(raw).split(' ');
  while (words.length && Q_FILLER.has(words[0].toLowerCase())) words.shift();
  while (words.length && Q_FILLER.has(words[words.length - 1].toLowerCase())) words.pop();
  const q = words.join(' ').slice(0, 200).trim();
  return q || undefined;
}

const dayStart = (d: CivilDate, z: Zoned): string => iso(instantOf(z.zone, at(d, { hour: 0, minute: 0 })));

/** The date right after a keyword ("due before friday"), or undefined. */
function dateAfterWord(work: string, re: RegExp, z: Zoned): { date?: CivilDate; instantMs?: number; span?: { start: number; end: number } } {
  re.lastIndex = 0;
  for (let m = re.exec(work); m; m = re.exec(work)) {
    const from = m.index + m[0].length;
    const first = findDates(work.slice(from), z)[0];
    if (first && first.start <= 1 && (first.date || first.instantMs !== undefined)) {
      return { date: first.date, instantMs: first.instantMs, span: { start: m.index, end: from + first.end } };
    }
  }
  return {};
}

export function parseList(text: string, z: Zoned): ListIntent | undefined {
  if (!START.test(text) && !(ADJECTIVE_START.test(text) && TASK_NOUN.test(text))) return undefined;
  let work = text;
  const filter: ListFilter = {};

  const tags: string[] = [];
  const tagged = extractTags(work);
  work = tagged.work;
  tags.push(...tagged.tags);
  work = punchAll(work, TAGGED, (m) => {
    for (const w of m[1].split(/, and |, ?| and | & /)) {
      const tag = cleanTag(w.replace(/^#/, ''));
      if (tag && !tags.includes(tag)) tags.push(tag);
    }
    return true;
  });

  const prioritized = extractPriority(work);
  work = prioritized.work;

  let overdue = false;
  work = punchAll(work, OVERDUE, () => (overdue = true));

  let status: ListFilter['status'] | 'any' | undefined;
  work = punchAll(work, ANY_STATUS, () => ((status = 'any'), true));
  work = punchAll(work, OPEN, () => ((status = status ?? 'open'), true));
  work = punchAll(work, COMPLETED, () => ((status = status ?? 'completed'), true));

  let window: Window | undefined;
  for (const { re, window: w } of WINDOWS) {
    work = punchAll(work, re, (m) => {
      const found = window ? undefined : w(z, m);
      if (found) window = found;
      return true;
    });
  }
  if (!window) {
    const before = dateAfterWord(work, BEFORE_WORD, z);
    if (before.span) {
      work = punch(work, [before.span]);
      if (before.instantMs !== undefined) filter.dueBefore = iso(before.instantMs);
      else if (before.date) window = { before: addDays(before.date, 1) };
    }
    const after = dateAfterWord(work, AFTER_WORD, z);
    if (after.span) {
      work = punch(work, [after.span]);
      if (after.instantMs !== undefined) filter.dueAfter = iso(after.instantMs);
      else if (after.date) window = { ...window, after: addDays(after.date, 1) };
    }
    if (!before.span && !after.span) {
      const on = findDates(work, z).find((d) => d.date || d.instantMs !== undefined);
      if (on) {
        work = punch(work, [on]);
        if (on.date) window = { after: on.date, before: addDays(on.date, 1) };
        else if (on.instantMs !== undefined) {
          filter.dueAfter = iso(z.nowMs);
          filter.dueBefore = iso(on.instantMs);
        }
      }
    }
  }
  if (window?.after) filter.dueAfter = dayStart(window.after, z);
  if (window?.before) filter.dueBefore = dayStart(window.before, z);

  const quoted = QUOTED.exec(work);
  let trigger = quoted ? undefined : Q_TRIGGER.exec(work);
  // "search for tasks about X": the inner trigger names X.
  const inner = trigger ? Q_TRIGGER.exec(trigger[1]) : null;
  if (inner) trigger = inner;
  const xTasks = quoted || trigger ? undefined : X_TASKS.exec(work);
  const q = quoted ? quoted[1].trim() || undefined : trigger ? cleanQuery(trigger[1]) : xTasks && !Q_FILLER.has(xTasks[1].toLowerCase()) ? xTasks[1] : undefined;

  const recognised = tags.length > 0 || !!prioritized.priority || overdue || status !== undefined || !!filter.dueAfter || !!filter.dueBefore || !!q;
  if (!recognised && !NOUN.test(text)) return undefined;

  if (status !== 'any') filter.status = status ?? 'open';
  if (prioritized.priority) filter.priority = prioritized.priority;
  if (tags.length) filter.tags = tags;
  if (q) filter.q = q;
  if (overdue) filter.overdue = true;
  return { intent: 'list', filter: ordered(filter) };
}

/** The filter's keys in one order, so replies and tests read the same. */
function ordered(f: ListFilter): ListFilter {
  const out: ListFilter = {};
  if (f.status) out.status = f.status;
  if (f.priority) out.priority = f.priority;
  if (f.tags) out.tags = f.tags;
  if (f.q) out.q = f.q;
  if (f.overdue) out.overdue = true;
  if (f.dueAfter) out.dueAfter = f.dueAfter;
  if (f.dueBefore) out.dueBefore = f.dueBefore;
  return out;
}
