/**
 * Tags: `#word` anywhere in the message ("#errands", "#home-office"), lower-cased, without
 * duplicates; taken out of the title. A `#` inside a word or a URL ("C#", "site.com/#top") is not
 * a tag.
 */
import { punchAll } from './spans';

const TAG = /(?<![\p{L}\p{N}_&/#])#([\p{L}\p{N}_][\p{L}\p{N}_\-./]{0,99})/gu;

export const MAX_TAGS = 50;

export function cleanTag(raw: string): string {
  return raw.replace(/[.\-/]+$/u, '').toLowerCase();
}

export function extractTags(work: string): { tags: string[]; work: string } {
  const tags: string[] = [];
  const rest = punchAll(work, TAG, (m) => {
    const tag = cleanTag(m[1]);
    if (tag && !tags.includes(tag) && tags.length < MAX_TAGS) tags.push(tag);
    return true;
  });
  return { tags, work: rest };
}
