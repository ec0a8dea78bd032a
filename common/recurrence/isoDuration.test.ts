import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIsoDuration, type IsoDuration } from './isoDuration';
import { LIMITS } from './limits';

const zero: IsoDuration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
const parsed = (text: unknown) => {
  const r = parseIsoDuration(text);
  return r.ok ? r.duration : r.message;
};

describe('recurrence/isoDuration: parseIsoDuration', () => {
  it('reads the durations reminders use', () => {
    assert.deepEqual(parsed('PT15M'), { ...zero, minutes: 15 });
    assert.deepEqual(parsed('P1D'), { ...zero, days: 1 });
    assert.deepEqual(parsed('P1W'), { ...zero, weeks: 1 });
    assert.deepEqual(parsed('P1DT2H'), { ...zero, days: 1, hours: 2 });
    assert.deepEqual(parsed('PT0S'), zero);
    assert.deepEqual(parsed('P1Y2M3W4DT5H6M7S'), { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 });
    assert.deepEqual(parsed('P1M'), { ...zero, months: 1 }); // M before T is months,
    assert.deepEqual(parsed('PT1M'), { ...zero, minutes: 1 }); // after T minutes
  });

  it('refuses anything else, saying what a duration looks like', () => {
    for (const bad of ['', 'P', 'PT', '15M', 'P1H', 'PT1D', '-PT15M', 'P1.5D', 'PT0,5H', 'pt15m', ' PT15M', 'PT15M ', 'P1DT', 'PT1H1H', 'P1M1Y', 'P1D2W', null, 15]) {
      assert.match(String(parsed(bad)), /must be an ISO 8601 duration such as PT15M/, String(bad));
    }
  });

  it(`caps absurd lengths at ${LIMITS.maxDurationDays} days (about ten years)`, () => {
    assert.deepEqual(parsed('P10Y'), { ...zero, years: 10 });
    assert.deepEqual(parsed(`P${LIMITS.maxDurationDays}D`), { ...zero, days: LIMITS.maxDurationDays });
    for (const big of ['P11Y', `P${LIMITS.maxDurationDays + 1}D`, 'P999999999D', 'PT999999999H', 'P600W']) assert.match(String(parsed(big)), /at most/, big);
  });

  it('reads back any duration it writes (property)', () => {
    const n = fc.integer({ min: 0, max: 30 });
    fc.assert(fc.property(fc.record({ years: fc.integer({ min: 0, max: 5 }), months: n, weeks: n, days: n, hours: n, minutes: n, seconds: n }), (d) => {
      const date = `${d.years ? `${d.years}Y` : ''}${d.months ? `${d.months}M` : ''}${d.weeks ? `${d.weeks}W` : ''}${d.days ? `${d.days}D` : ''}`;
      const time = `${d.hours ? `${d.hours}H` : ''}${d.minutes ? `${d.minutes}M` : ''}${d.seconds ? `${d.seconds}S` : ''}`;
      const text = `P${date}${time ? `T${time}` : ''}`;
      fc.pre(text !== 'P');
      assert.deepEqual(parsed(text), { ...d });
    }));
  });
});
