/**
 * Changing a task: the verb says what changes, the rest names the task.
 *
 *   due        move|reschedule|postpone|push|defer|delay X to|until|for <when>; set|make X due <when>;
 *              X is due <when>; change the due date|deadline of X to <when>
 *   no due     remove|clear the due date|deadline [from X]
 *   priority   set|make|mark|change X [to|as] urgent|high|medium|low|p1…p4 [priority];
 *              change|set the priority of X to <p>; prioritize X (high); deprioritize X (low)
 *   title      rename X to Y; change the title|name of X to Y
 *   tags       tag|label X with|as a, b; tag X #a #b; add [the] tag(s) a to X; add #a to X (added, never removed)
 *   reminders  change|set the reminder for X to 30 minutes before (replaces); remove the reminders [from X] ([])
 *   generic    change|update|edit|set X to Y: a priority, a date, else a new title
 */
import { readWhen, resolveWhen } from './dates';
import { extractPriority, priorityOf } from './priority';
import { extractReminderOffsets } from './reminders';
import { cleanTag, extractTags } from './tags';
import { parseTaskRef } from './taskRef';
import { leftover, trimEdges } from './title';
import type { TaskChanges, TaskRef, UnknownIntent, UpdateIntent } from './types';
import { unknown } from './unknown';
import { iso } from './zone';
import type { Zoned } from './zoned';

const E = '(?![\\p{L}\\p{N}])';
const PRIO = '(?:urgent|high|medium|med|normal|low|top|highest|lowest|p[1-4])';

const MOVE = new RegExp(`^(?:move|reschedule|postpone|push back|push|defer|delay|shift|bump|change the (?:due )?date (?:of|for|on)|change the deadline (?:of|for|on)|set the (?:due )?date (?:of|for|on)|set the deadline (?:of|for|on)|update the (?:due )?date (?:of|for|on)|update the deadline (?:of|for|on))${E} ?(.*)$`, 'iu');
const DUE = new RegExp(`^(?:set|make|mark) (.+?) (?:as )?due (.+)$|^(.+?) is (?:now )?due (.+)$`, 'iu');
const NO_DUE = new RegExp(`^(?:remove|clear|delete|drop|unset|take off) (?:the )?(?:due date|deadline|due|date)(?: (?:from|of|on|for) (.+))?$`, 'iu');
const NO_REMINDERS = new RegExp(`^(?:remove|clear|delete|cancel|turn off|disable|drop) (?:the |all |all the |all of the )?(?:reminders?|alerts?|notifications?)(?: (?:from|of|on|for) (.+))?$`, 'iu');
const REMINDER = new RegExp(`^(?:change|set|update|move|make) (?:the )?(?:reminders?|alerts?)(?: (?:for|of|on) (.+?))? to (.+)$`, 'iu');
const PRIORITY_OF = new RegExp(`^(?:set|change|update|make|mark|give|raise|lower) (?:the )?(?:priority|prio) (?:of|for|on) (.+?) (?:to|as) (${PRIO})(?: priority)?$`, 'iu');
const PRIORITY_SET = new RegExp(`^(?:set|make|mark|change|flag|update|raise|lower)(?: (?!(?:to|as|with|an?) )(.+?))? (?:to |as |with )?(?:an? )?(?:priority |prio )?(${PRIO})(?: priority| prio)?$`, 'iu');
const PRIORITIZE = new RegExp(`^(prioriti[sz]e|deprioriti[sz]e)${E} ?(.*)$`, 'iu');
const RENAME = new RegExp(`^(?:rename|retitle|(?:change|update|edit|set) the (?:title|name|wording) (?:of|for|on)) ("[^"]+"|'[^']+'|.+?) (?:to|as|into) (.+)$`, 'iu');
const TAG = new RegExp(`^(?:tag|label) (.+?) (?:with |as )(.+)$|^(?:tag|label) (.+?) ((?:#[^\\s#]+ ?)+)$`, 'iu');
const ADD_TAG = new RegExp(`^(?:add|put) (?:the )?(?:(?:tags?|labels?) (.+?)|((?:#[^\\s#]+(?: |, ?| and )?)+)) (?:to|on) (.+)$`, 'iu');
const GENERIC = new RegExp(`^(?:change|update|edit|set|switch) ("[^"]+"|'[^']+'|.+?) to (.+)$`, 'iu');

const update = (ref: TaskRef, changes: TaskChanges): UpdateIntent => ({ intent: 'update', ref, changes });

function tagWords(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(/, and |, ?| and | & | /)) {
    const tag = cleanTag(w.replace(/^#/, ''));
    if (tag && !out.includes(tag) && /^[^\s,#]+$/.test(tag)) out.push(tag);
  }
  return out;
}

/** "move X to friday at 3pm": the date is read from the whole rest; what is left names the task. */
function moved(rest: string, z: Zoned): UpdateIntent | UnknownIntent {
  const { when, work } = readWhen(rest, z);
  if (!when) return unknown('missing_when');
  return update(parseTaskRef(leftover(work)), { due: iso(resolveWhen(when, z)) });
}

/** "change X to Y": Y is a priority, a date or a new title. */
function changedTo(refText: string, value: string, z: Zoned): UpdateIntent | UnknownIntent {
  const ref = parseTaskRef(refText);
  const p = extractPriority(value);
  if (p.priority && !leftover(p.work)) return update(ref, { priority: p.priority });
  const bare = priorityOf(trimEdges(value));
  if (bare) return update(ref, { priority: bare });
  const { when, work } = readWhen(value, z);
  if (when && !leftover(work)) return update(ref, { due: iso(resolveWhen(when, z)) });
  const offsets = extractReminderOffsets(value);
  if (offsets.reminders.length && !leftover(offsets.work)) return update(ref, { reminders: offsets.reminders });
  const title = trimEdges(value.replace(/^["']|["']$/g, ''));
  return title ? update(ref, { title: title.slice(0, 500) }) : unknown('missing_change');
}

export function parseUpdate(text: string, z: Zoned): UpdateIntent | UnknownIntent | undefined {
  let m = NO_DUE.exec(text);
  if (m) return update(parseTaskRef(m[1] ?? ''), { due: null });
  m = NO_REMINDERS.exec(text);
  if (m) return update(parseTaskRef(m[1] ?? ''), { reminders: [] });
  m = REMINDER.exec(text);
  if (m) {
    const offsets = extractReminderOffsets(m[2]);
    return offsets.reminders.length ? update(parseTaskRef(m[1] ?? ''), { reminders: offsets.reminders }) : unknown('missing_when');
  }
  m = PRIORITY_OF.exec(text);
  if (m) return update(parseTaskRef(m[1]), { priority: priorityOf(m[2]) ?? 'medium' });
  m = PRIORITIZE.exec(text);
  if (m) return update(parseTaskRef(m[2]), { priority: m[1].toLowerCase().startsWith('de') ? 'low' : 'high' });
  m = RENAME.exec(text);
  if (m) {
    const title = trimEdges(m[2].replace(/^["']|["']$/g, ''));
    return title ? update(parseTaskRef(m[1]), { title: title.slice(0, 500) }) : unknown('missing_change');
  }
  m = TAG.exec(text);
  if (m) {
    const tags = tagWords(m[2] ?? m[4]);
    return tags.length ? update(parseTaskRef(m[1] ?? m[3]), { tags }) : unknown('missing_change');
  }
  m = ADD_TAG.exec(text);
  if (m) {
    const tags = m[1] !== undefined ? tagWords(m[1]) : extractTags(m[2]).tags;
    return tags.length ? update(parseTaskRef(m[3]), { tags }) : unknown('missing_change');
  }
  m = MOVE.exec(text);
  if (m) return moved(m[1], z);
  m = DUE.exec(text);
  if (m) {
    const { when, work } = readWhen(m[2] ?? m[4], z);
    if (!when || leftover(work)) return unknown('missing_when');
    return update(parseTaskRef(m[1] ?? m[3]), { due: iso(resolveWhen(when, z)) });
  }
  m = PRIORITY_SET.exec(text);
  if (m) return update(parseTaskRef(m[1] ?? ''), { priority: priorityOf(m[2]) ?? 'medium' });
  m = GENERIC.exec(text);
  if (m) return changedTo(m[1], m[2], z);
  if (/^(?:change|update|edit|modify)(?![\p{L}])/iu.test(text)) return unknown('missing_change');
  return undefined;
}
