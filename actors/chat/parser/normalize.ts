/**
 * Input hygiene: one canonical spelling of the message before any grammar looks at it. Unicode
 * compatibility forms (NFKC), typographic quotes and dashes, control and zero-width characters,
 * runs of white space.
 */

import { MAX_CHAT_MESSAGE_LENGTH } from '../../../common/actorApi';

/** Longer messages are refused (`unknown`, reason too_long) before any parsing; the endpoint's limit. */
export const MAX_MESSAGE_LENGTH = MAX_CHAT_MESSAGE_LENGTH;

/** A character that never survives normalization: marks removed spans inside the parsers. */
export const HOLE = '\u0000';

export function normalizeMessage(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
}

/** True when the message has no letter, digit or symbol that could carry meaning (only punctuation/space). */
export const isBlank = (text: string): boolean => !/[\p{L}\p{N}#\p{So}]/u.test(text);
