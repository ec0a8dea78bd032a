/**
 * "Remind me …" and "set a reminder …": a reminder on an existing task, or a new task.
 *
 *   remind me to X [when]                    → create X (with a reminder at the due time)
 *   remind me [when] to X                    → create X ("remind me tomorrow at 9 to call mom")
 *   remind me about|of X <offset> before     → remind X {before}   ("… the grant application 1 hour before")
 *   remind me <offset> before X              → remind X {before}   ("remind me 30 minutes before the dentist")
 *   remind me about X <when>                 → remind X {at}       ("… the report tomorrow at 8am")
 *   set|add|create a reminder for|on|to X <offset before | when>   → remind X
 *   set a reminder [for <when>] to X         → create X
 * No offset and no time → unknown (missing_when). No task words → the pronoun ("remind me about it").
 */
import { parseCreate } from './createParser';
import { readWhen, resolveWhen } from './dates';
import { extractReminderOffsets } from './reminders';
import { parseTaskRef } from './taskRef';
import { leftover } from './title';
import type { AtReminder, BeforeReminder, CreateIntent, RemindIntent, UnknownIntent } from './types';
import { unknown } from './unknown';
import { iso } from './zone';
import type { Zoned } from './zoned';

const REMIND_ME = /^(?:remind|ping|alert|notify|nudge|warn) me(?![\p{L}])(?: (.*))?$/iu;
const SET_REMINDER = /^(?:set|add|create|make|put|schedule|set up) (?:me )?(?:a |an |one |another )?(?:reminder|alert|notification)(?![\p{L}])(?: (.*))?$/iu;
const ABOUT = /^(?:about|of|regarding|for|on|to) /iu;
const TO_CLAUSE = /(?:^|\s)to (?=\S)/iu;

function remindOn(rest: string, z: Zoned): RemindIntent | UnknownIntent {
  const offsets = extractReminderOffsets(rest);
  let work = offsets.work;
  const reminders: Array<BeforeReminder | AtReminder> = [...offsets.reminders];
  if (reminders.length === 0) {
    const read = readWhen(work, z);
    work = read.work;
    if (read.when) reminders.push({ at: iso(resolveWhen(read.when, z)) });
  }
  if (reminders.length === 0) return unknown('missing_when');
  const words = leftover(work).replace(ABOUT, '');
  return { intent: 'remind', ref: parseTaskRef(words), reminders };
}

/** The create for "[when] to X": the first "to" goes, the rest is a new task. */
function createFrom(rest: string, z: Zoned): CreateIntent | UnknownIntent {
  return parseCreate(rest.replace(TO_CLAUSE, (m) => m.slice(0, m.length - 3)), z, { remindAtDue: true });
}

export function parseRemind(text: string, z: Zoned): CreateIntent | RemindIntent | UnknownIntent | undefined {
  let m = REMIND_ME.exec(text);
  if (m) {
    const rest = m[1] ?? '';
    if (/^to$/i.test(rest)) return unknown('missing_title');
    if (/^(?:to|that i (?:need|have|must) to|that i should) /i.test(rest)) return parseCreate(rest.replace(/^(?:to|that i (?:need|have|must) to|that i should) /i, ''), z, { remindAtDue: true });
    if (/^(?:about|of|regarding) /i.test(rest)) return remindOn(rest.replace(ABOUT, ''), z);
    if (TO_CLAUSE.test(rest)) return createFrom(rest, z);
    return remindOn(rest, z);
  }
  m = SET_REMINDER.exec(text);
  if (m) {
    const rest = m[1] ?? '';
    if (/^to /i.test(rest)) return remindOn(rest.replace(ABOUT, ''), z);
    if (/^(?:for|on|about|of) /i.test(rest)) {
      const inner = rest.replace(ABOUT, '');
      if (TO_CLAUSE.test(inner)) return createFrom(inner, z);
      return remindOn(inner, z);
    }
    if (TO_CLAUSE.test(rest)) return createFrom(rest, z);
    return remindOn(rest, z);
  }
  return undefined;
}
