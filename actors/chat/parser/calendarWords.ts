/** Names of weekdays and months, with their abbreviations and plurals. */

/** RFC 5545 weekday codes, index = Date.getDay() (0 = Sunday). */
export const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

const WEEKDAYS: Record<string, number> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, weds: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};

/** 0..6 for "monday", "mon", "mondays" …, or undefined. `plural` tells whether it ended in s ("mondays"). */
export function weekdayOf(word: string): { day: number; plural: boolean } | undefined {
  if (Object.prototype.hasOwnProperty.call(WEEKDAYS, word)) return { day: WEEKDAYS[word], plural: false };
  if (word.length > 6 && word.endsWith('s')) {
    const single = word.slice(0, -1);
    if (single.endsWith('day') && Object.prototype.hasOwnProperty.call(WEEKDAYS, single)) return { day: WEEKDAYS[single], plural: true };
  }
  return undefined;
}

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};

/** 1..12 for "june", "jun" …, or undefined. */
export function monthOf(word: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(MONTHS, word) ? MONTHS[word] : undefined;
}
