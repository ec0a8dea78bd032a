/** Small cardinal numbers as people type them: digits or words ("a", "an", "one" … "twelve", "twenty"). */

const WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, 'forty-five': 45, 'forty five': 45, sixty: 60, ninety: 90,
};

/** Regex source matching a number in digits (1–3) or words. */
export const NUMBER = '(?:\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty[- ]five|sixty|ninety)';

/** The value of a NUMBER match, or NaN. */
export function numberOf(s: string): number {
  const t = s.toLowerCase();
  if (/^\d{1,3}$/.test(t)) return Number(t);
  return Object.prototype.hasOwnProperty.call(WORDS, t) ? WORDS[t] : NaN;
}

const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, 'twenty-first': 21, thirtieth: 30, 'thirty-first': 31,
};

/** The value of "1st", "22nd", "3", "third" …, or NaN. */
export function ordinalOf(s: string): number {
  const t = s.toLowerCase();
  const m = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(t);
  if (m) return Number(m[1]);
  return Object.prototype.hasOwnProperty.call(ORDINAL_WORDS, t) ? ORDINAL_WORDS[t] : NaN;
}
