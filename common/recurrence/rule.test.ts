import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dueArb, ruleArb, zoneArb } from './arbitraries';
import { nextOccurrence } from './expand';
import { validateRecurrence, type RecurrenceValidation } from './rule';

const due = new Date('2026-01-05T08:00:00Z'); // Monday 09:00 in Berlin
const details = (v: RecurrenceValidation) => (v.ok ? [] : v.details);
const fields = (v: RecurrenceValidation) => details(v).map((d) => d.field);

describe('recurrence/rule: validateRecurrence', () => {
  it('accepts the rules tasks use', () => {
    for (const rule of ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,WE', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=YEARLY;BYMONTH=6,7',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20261231T235959Z', 'FREQ=HOURLY;BYHOUR=9,10,11;BYMINUTE=0,30', 'FREQ=MINUTELY;COUNT=30']) {
      assert.deepEqual(validateRecurrence(rule, due, 'Europe/Berlin'), { ok: true }, rule);
    }
    assert.deepEqual(validateRecurrence('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', new Date('2024-02-29T09:00:00Z'), 'UTC'), { ok: true });
  });

  it('takes the due as the actor stores it, an ISO string', () => {
    assert.deepEqual(validateRecurrence('FREQ=DAILY', '2026-12-01T09:00:00+01:00', 'Europe/Berlin'), { ok: true });
  });

  it('accepts COUNT=1, a series of one', () => {
    assert.deepEqual(validateRecurrence('FREQ=DAILY;COUNT=1', due, 'UTC'), { ok: true });
  });

  it('reports each rule problem on recurrence.rule, and a missing due or unknown zone on their own fields', () => {
    const v = validateRecurrence('FREQ=SECONDLY;TZID=Europe/Berlin', null, 'Mars/Olympus');
    assert.deepEqual(fields(v), ['recurrence.rule', 'recurrence.rule', 'due', 'timezone']);
    assert.match(details(v)[2].message, /required for a recurring task/);
    assert.deepEqual(fields(validateRecurrence('FREQ=DAILY', 'tomorrow', 'UTC')), ['due']);
    assert.deepEqual(fields(validateRecurrence('FREQ=DAILY', new Date('1800-01-01T00:00:00Z'), 'UTC')), ['due']);
  });

  it('refuses a series that never repeats: UNTIL before the first due, no such date, or only times in DST gaps', () => {
    assert.match(details(validateRecurrence('FREQ=DAILY;UNTIL=20260101T000000Z', due, 'UTC'))[0].message, /UNTIL is before the first due/);
    assert.match(details(validateRecurrence('FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31', due, 'UTC'))[0].message, /never happens/);
    // 02:30 on the last Sunday of March never exists in Berlin.
    assert.match(details(validateRecurrence('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2;BYMINUTE=30', due, 'Europe/Berlin'))[0].message, /never repeats/);
    assert.deepEqual(validateRecurrence('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2;BYMINUTE=30', due, 'America/New_York'), { ok: true });
  });

  it('refuses a rule that matches nothing within the work allowed', () => {
    assert.match(details(validateRecurrence('FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2', due, 'UTC'))[0].message, /never repeats within .* periods/);
    assert.match(details(validateRecurrence('FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=MO;BYMONTH=2', due, 'UTC'))[0].message, /never/);
  });

  it('refuses the sub-daily rules rrule would loop on, depending on the due time', () => {
    assert.match(details(validateRecurrence('FREQ=HOURLY;INTERVAL=2;BYHOUR=9', new Date('2026-01-01T10:00:00Z'), 'UTC'))[0].message, /never happens: every 2 hours from 10:00/);
    assert.deepEqual(validateRecurrence('FREQ=HOURLY;INTERVAL=2;BYHOUR=9', new Date('2026-01-01T11:00:00Z'), 'UTC'), { ok: true });
  });

  it('never throws, and every rule it accepts has an occurrence after the first due (property)', () => {
    const anyRule = fc.oneof(ruleArb, fc.string({ maxLength: 30 }));
    fc.assert(fc.property(anyRule, dueArb, zoneArb, (rule, first, zone) => {
      const v = validateRecurrence(rule, first, zone);
      if (v.ok && !/COUNT=1(;|$)/.test(rule)) assert.notEqual(nextOccurrence({ rule, zone, dtstartUtc: first, afterUtc: first }), null);
      if (!v.ok) assert.ok(v.details.every((d) => d.message.length > 0));
    }), { numRuns: 300 });
  });
});
