import assert from 'node:assert/strict';
import { EARLY_SLACK_MS, holdFor, triggerTime } from './reminderLead';

const at = new Date('2026-12-05T09:00:00.000Z');
const ms = (n: number) => new Date(at.getTime() + n);

describe('a reminder triggered ahead of its instant', () => {
  it('is registered the lead before its time, and at its time with no lead', () => {
    assert.equal(triggerTime(at, 2000).toISOString(), '2026-12-05T08:59:58.000Z');
    assert.equal(triggerTime(at, 0).getTime(), at.getTime());
    assert.equal(triggerTime(at, -5).getTime(), at.getTime(), 'a negative lead is none');
  });

  it('is held until its instant when the trigger comes within the lead', () => {
    assert.deepEqual(holdFor(at, ms(-2000), 2000), { kind: 'wait', ms: 2000 });
    assert.deepEqual(holdFor(at, ms(-1), 2000), { kind: 'wait', ms: 1 });
  });

  it('fires at once when the trigger comes at or after its instant', () => {
    assert.deepEqual(holdFor(at, at, 2000), { kind: 'fire' });
    assert.deepEqual(holdFor(at, ms(1500), 2000), { kind: 'fire' });
    assert.deepEqual(holdFor(at, ms(1500), 0), { kind: 'fire' });
  });

  it('is not held when it comes far earlier than the lead explains', () => {
    assert.deepEqual(holdFor(at, ms(-2000 - EARLY_SLACK_MS), 2000), { kind: 'wait', ms: 2000 + EARLY_SLACK_MS });
    assert.deepEqual(holdFor(at, ms(-2001 - EARLY_SLACK_MS), 2000), { kind: 'too-early', ms: 2001 + EARLY_SLACK_MS });
    assert.deepEqual(holdFor(at, ms(-60_000), 0), { kind: 'too-early', ms: 60_000 });
  });
});
