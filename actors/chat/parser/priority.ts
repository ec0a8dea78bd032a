/**
 * Priorities: p1 urgent, p2 high, p3 medium, p4 low; "high priority", "priority: low",
 * "with priority 2", "top priority", a standalone "urgent" or "asap". The first one said wins; all
 * are taken out of the title.
 */
import type { Priority } from './types';
import { punch, type Span } from './spans';

const BY_WORD: Record<string, Priority> = {
  urgent: 'urgent', top: 'urgent', highest: 'urgent', critical: 'urgent', asap: 'urgent', urgently: 'urgent',
  high: 'high', medium: 'medium', med: 'medium', normal: 'medium', low: 'low', lowest: 'low',
  '1': 'urgent', '2': 'high', '3': 'medium', '4': 'low',
};

/** The priority a word names: "urgent", "high", "p2", "2" … or undefined. */
export function priorityOf(word: string): Priority | undefined {
  const w = word.toLowerCase().replace(/^p(?=[1-4]$)/, '');
  return Object.prototype.hasOwnProperty.call(BY_WORD, w) ? BY_WORD[w] : undefined;
}

const B = '(?<![\\p{L}\\p{N}_])';
const E = '(?![\\p{L}\\p{N}_])';
const LEAD = '(?:(?:with|at|as|in|of) )?(?:(?:a|an|the) )?';
const PATTERNS: RegExp[] = [
  new RegExp(`${B}${LEAD}(?:priority|prio)(?: level)?(?: of| is| =| to)?:? ?(urgent|high|medium|med|normal|low|p?[1-4])${E}`, 'giu'),
  new RegExp(`${B}${LEAD}(urgent|high|medium|med|normal|low|top|highest|lowest)[- ]?(?:priority|prio|pri)${E}`, 'giu'),
  new RegExp(`${B}(p[1-4])${E}`, 'giu'),
  new RegExp(`${B}(urgent|urgently|asap)${E}`, 'giu'),
];

export function extractPriority(work: string): { priority?: Priority; work: string } {
  let first: { index: number; priority: Priority } | undefined;
  const spans: Span[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(work); m; m = re.exec(work)) {
      const p = priorityOf(m[1]);
      if (!p) continue;
      const start = m.index;
      const end = m.index + m[0].length;
      if (spans.some((s) => start < s.end && end > s.start)) continue;
      spans.push({ start, end });
      if (!first || start < first.index) first = { index: start, priority: p };
    }
  }
  return first ? { priority: first.priority, work: punch(work, spans) } : { work };
}
