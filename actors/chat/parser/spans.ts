/**
 * The parsers take phrases out of the message one after the other (tags, priority, reminders,
 * recurrence, dates). A phrase taken out is overwritten with HOLE characters, so every index
 * into the message stays valid and the title is what is left at the end.
 */
import { HOLE } from './normalize';

export interface Span {
  start: number;
  end: number;
}

/** The text with each span overwritten by HOLEs (same length). */
export function punch(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const s of spans) for (let i = Math.max(0, s.start); i < Math.min(chars.length, s.end); i++) chars[i] = HOLE;
  return chars.join('');
}

/** Runs a global regex over the text, punching out each match for which `take` returns true. */
export function punchAll(text: string, re: RegExp, take: (m: RegExpExecArray) => boolean): string {
  const spans: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (take(m)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return punch(text, spans);
}

/**
 * The text as chrono should see it: holes and the spaces around them collapse into one space, so
 * that chrono never meets runs of white space (its patterns backtrack on them) and phrases that a
 * removed one separated join up again ("tomorrow #x at 5pm" → "tomorrow at 5pm"). `at[i]` is the
 * index in `text` of the i-th character of the compact text; at[compact.length] = text.length.
 */
export function compact(text: string): { text: string; at: number[] } {
  let out = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === HOLE || c === ' ') {
      if (out.length === 0 || out[out.length - 1] === ' ') continue;
      out += ' ';
    } else out += c;
    at.push(i);
  }
  at.push(text.length);
  return { text: out, at };
}
