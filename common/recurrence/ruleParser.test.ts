import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ruleArb } from './arbitraries';
import { LIMITS } from './limits';
import { parseRule, type RecurrenceRule } from './ruleParser';

function ok(text: string): RecurrenceRule {
  const r = parseRule(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.problems.join('; ')}`);
  return r.rule;
}

function problems(text: unknown): string[] {
  const r = parseRule(text);
  assert.equal(r.ok, false, `${String(text)} was accepted`);
  return r.ok ? [] : r.problems;
}

/** Exactly one problem, mentioning `needle`. */
function refused(text: unknown, needle: string | RegExp): void {
  const p = problems(text);
  assert.equal(p.length, 1, p.join('; '));
  assert.match(p[0], typeof needle === 'string' ? new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : needle);
}

describe('recurrence/ruleParser: RRULE values, strictly', () => {
  it('accepts every part a task uses and reads it into typed fields', () => {
    const r = ok('FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2MO,TU;BYMONTH=1,6;BYSETPOS=-1;COUNT=10;WKST=SU;BYHOUR=9,17;BYMINUTE=30');
    assert.equal(r.freq, 'MONTHLY');
    assert.equal(r.interval, 2);
    assert.equal(r.count, 10);
    assert.deepEqual(r.byDay, [{ weekday: 'FR', ordinal: -1 }, { weekday: 'MO', ordinal: 2 }, { weekday: 'TU' }]);
    assert.deepEqual(r.byMonth, [1, 6]);
    assert.deepEqual(r.bySetPos, [-1]);
    assert.deepEqual(r.byHour, [9, 17]);
    assert.deepEqual(r.byMinute, [30]);
    assert.equal(r.wkst, 'SU');
    assert.deepEqual(ok('FREQ=MONTHLY;BYMONTHDAY=1,-1,15').byMonthDay, [-1, 1, 15]);
    assert.deepEqual(ok('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO').byWeekNo, [20]);
    assert.deepEqual(ok('FREQ=YEARLY;BYYEARDAY=1,100,-1').byYearDay, [-1, 1, 100]);
    assert.equal(ok('FREQ=MINUTELY').interval, 1);
    assert.equal(ok('FREQ=DAILY').wkst, 'MO');
  });

  it('accepts an RRULE: prefix, lower case and surrounding blanks, and drops repeated values', () => {
    assert.equal(ok('RRULE:FREQ=WEEKLY;BYDAY=MO,WE').freq, 'WEEKLY');
    assert.deepEqual(ok('  freq=weekly;byday=mo,we ').byDay, [{ weekday: 'MO' }, { weekday: 'WE' }]);
    assert.deepEqual(ok('FREQ=DAILY;BYHOUR=9,9,8').byHour, [8, 9]);
  });

  it('reads UNTIL as an instant (Z), a whole local day (date) or a local time (no Z)', () => {
    assert.deepEqual(ok('FREQ=DAILY;UNTIL=20261231T235959Z').until, { kind: 'instant', instant: new Date('2026-12-31T23:59:59Z') });
    assert.deepEqual(ok('FREQ=DAILY;UNTIL=20261231').until, { kind: 'wallClock', wall: { year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59 } });
    assert.deepEqual(ok('FREQ=DAILY;UNTIL=20261231T170000').until, { kind: 'wallClock', wall: { year: 2026, month: 12, day: 31, hour: 17, minute: 0, second: 0 } });
    refused('FREQ=DAILY;UNTIL=20260230', 'UNTIL=20260230');
    refused('FREQ=DAILY;UNTIL=2026-12-31', 'UNTIL=');
    refused('FREQ=DAILY;UNTIL=20261231T250000Z', 'UNTIL=');
  });

  it('refuses DTSTART and TZID inside the rule, saying where the start and the zone come from', () => {
    refused('FREQ=DAILY;DTSTART=20260101T090000Z', /DTSTART does not belong.*due time/);
    refused('FREQ=DAILY;TZID=Europe/Berlin', /TZID does not belong.*timezone/);
    refused('DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY', /one RRULE value/);
  });

  it('refuses anything that would fire more often than once a minute', () => {
    refused('FREQ=SECONDLY', /FREQ=SECONDLY.*once a minute/);
    refused('FREQ=SECONDLY;INTERVAL=60', /FREQ=SECONDLY/);
    refused('FREQ=MINUTELY;BYSECOND=0,30', /BYSECOND.*once a minute/);
    refused('FREQ=DAILY;BYSECOND=0', /BYSECOND/);
    refused('FREQ=MINUTELY;INTERVAL=0', /INTERVAL=0.*from 1/);
    refused('FREQ=MINUTELY;INTERVAL=-1', /INTERVAL=-1/);
  });

  it('names the part and the allowed range for each bad value', () => {
    refused('FREQ=FORTNIGHTLY', /FREQ=FORTNIGHTLY: must be one of YEARLY/);
    refused('FREQ=YEARLY;BYMONTH=13', /BYMONTH=13: .*1 to 12/);
    refused('FREQ=YEARLY;BYMONTH=+6', /BYMONTH=\+6/);
    refused('FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY=0/);
    refused('FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY=32/);
    refused('FREQ=MONTHLY;BYMONTHDAY=-32', /BYMONTHDAY=-32/);
    refused('FREQ=WEEKLY;BYDAY=XX', /BYDAY=XX/);
    refused('FREQ=WEEKLY;BYDAY=MO,', /BYDAY=MO,/);
    refused('FREQ=YEARLY;BYDAY=54MO', /BYDAY=54MO/);
    refused('FREQ=DAILY;BYHOUR=24', /BYHOUR=24/);
    refused('FREQ=DAILY;BYHOUR=abc', /BYHOUR=ABC: each value must be a whole number from 0 to 23/);
    refused('FREQ=DAILY;BYMINUTE=60', /BYMINUTE=60/);
    refused('FREQ=YEARLY;BYYEARDAY=367', /BYYEARDAY=367/);
    refused('FREQ=YEARLY;BYWEEKNO=0', /BYWEEKNO=0/);
    refused('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', /BYSETPOS=0/);
    refused('FREQ=DAILY;WKST=XX', /WKST=XX/);
    refused(`FREQ=DAILY;COUNT=${LIMITS.maxCount + 1}`, new RegExp(`COUNT=${LIMITS.maxCount + 1}: must be a whole number from 1 to ${LIMITS.maxCount}`));
    refused('FREQ=DAILY;COUNT=0', /COUNT=0/);
    refused(`FREQ=DAILY;INTERVAL=${LIMITS.maxInterval + 1}`, /INTERVAL=/);
  });

  it('refuses unknown, duplicated, empty and malformed parts', () => {
    refused('FREQ=DAILY;BYEASTER=0', /BYEASTER is not an RFC 5545 rule part/);
    refused('FREQ=DAILY;X-NAME=1', /X-NAME is not a recurrence rule part/);
    refused('FREQ=DAILY;FREQ=WEEKLY', /FREQ is given twice/);
    refused('FREQ=DAILY;;COUNT=2', /\(empty part\)/);
    refused('FREQ=DAILY;COUNT', /COUNT: must be written COUNT=value/);
    refused('FREQ=DAILY;COUNT=', /COUNT: must be written/);
    refused('COUNT=3', /FREQ is required/);
    refused('', /is empty/);
    refused('FREQ=DAILY; COUNT=3', /without spaces/);
    refused(42, /must be a string/);
    refused('FREQ=DAILY;' + 'BYHOUR=1;'.repeat(200), /longer than/);
  });

  it('applies RFC 5545\'s rules across parts', () => {
    refused('FREQ=DAILY;COUNT=3;UNTIL=20261231T000000Z', /COUNT and UNTIL cannot both/);
    refused('FREQ=WEEKLY;BYDAY=1MO', /ordinal weekday.*FREQ=MONTHLY or FREQ=YEARLY/);
    refused('FREQ=DAILY;BYDAY=-1FR', /ordinal weekday/);
    refused('FREQ=MONTHLY;BYDAY=6MO', /at most five/);
    refused('FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO', /BYWEEKNO/);
    refused('FREQ=WEEKLY;BYMONTHDAY=1', /BYMONTHDAY cannot be used with FREQ=WEEKLY/);
    refused('FREQ=MONTHLY;BYYEARDAY=1', /BYYEARDAY cannot be used with FREQ=MONTHLY/);
    refused('FREQ=MONTHLY;BYWEEKNO=1', /BYWEEKNO can only be used with FREQ=YEARLY/);
    refused('FREQ=MONTHLY;BYSETPOS=1', /BYSETPOS needs another BYxxx/);
    refused('FREQ=MINUTELY;INTERVAL=15;BYHOUR=9', /BYHOUR cannot be used with FREQ=MINUTELY.*FREQ=HOURLY/);
    assert.equal(ok('FREQ=YEARLY;BYDAY=20MO').byDay?.[0].ordinal, 20);
  });

  it('refuses a month-day that none of the months has', () => {
    refused('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /never happens.*BYMONTH=2.*BYMONTHDAY=30/);
    refused('FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=31', /never happens/);
    refused('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-30', /never happens/);
    assert.equal(ok('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29').freq, 'YEARLY');
    assert.equal(ok('FREQ=YEARLY;BYMONTH=2,3;BYMONTHDAY=31').freq, 'YEARLY');
  });

  it('reports every problem at once', () => {
    assert.equal(problems('FREQ=SECONDLY;BYMONTH=13;TZID=UTC;COUNT=0').length, 4);
  });

  it('accepts the generated task rules, and refuses any of them once given a sub-minute part (property)', () => {
    fc.assert(fc.property(ruleArb, fc.constantFrom('BYSECOND=0', 'BYSECOND=0,30', 'FREQ=SECONDLY'), (rule, extra) => {
      ok(rule);
      const withExtra = extra.startsWith('FREQ') ? rule.replace(/FREQ=\w+/, extra) : `${rule};${extra}`;
      assert.ok(problems(withExtra).some((p) => /BYSECOND|SECONDLY/.test(p)));
    }), { numRuns: 300 });
  });

  it('never throws, whatever the input (property)', () => {
    const part = fc.constantFrom('FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTH', 'BYSETPOS', 'BYHOUR', 'X', '');
    const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('DAILY', 'MO', '-1FR', '20261231T000000Z', '1,2', '0', '-0'));
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.tuple(part, value).map(([p, v]) => `${p}=${v}`), { maxLength: 6 }).map((a) => a.join(';')));
    fc.assert(fc.property(text, (t) => {
      const r = parseRule(t);
      if (!r.ok) assert.ok(r.problems.length > 0 && r.problems.every((p) => typeof p === 'string' && p.length > 0));
    }), { numRuns: 1000 });
  });
});
