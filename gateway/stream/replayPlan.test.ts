import assert from 'node:assert/strict';
import { isDuplicateLive, planReplay, type StreamEvent } from './replayPlan';

const ev = (id: string, seq: number | null): StreamEvent => ({ json: `{"eventId":"${id}"}`, eventId: id, seq: seq === null ? null : String(seq) });
const ids = (es: StreamEvent[]) => es.map((e) => e.eventId);

describe('replay plan (the seam between the audit store and the live stream)', () => {
  it('sends the missed events, then the live ones held meanwhile, in the user\'s order', () => {
    const plan = planReplay([ev('a', 11), ev('b', 12)], [ev('c', 13), ev('d', 14)], 10n);
    assert.deepEqual(ids(plan.events), ['a', 'b', 'c', 'd']);
    assert.equal(plan.replayed, 2);
    assert.deepEqual([...plan.replayedIds], ['a', 'b']);
    assert.equal(plan.maxReplayedSeq, 12n);
  });

  it('sends an event that is both audited and held once, at its place', () => {
    const plan = planReplay([ev('a', 11), ev('b', 12), ev('c', 13)], [ev('b', 12), ev('c', 13), ev('d', 14)], 10n);
    assert.deepEqual(ids(plan.events), ['a', 'b', 'c', 'd']);
  });

  it('puts a held event before a later audited one (the audit recorded one topic before the other)', () => {
    const plan = planReplay([ev('b', 12)], [ev('a', 11), ev('c', 13)]);
    assert.deepEqual(ids(plan.events), ['a', 'b', 'c']);
  });

  it('drops held events at or before the anchor: the device had them', () => {
    const plan = planReplay([], [ev('x', 9), ev('y', 10), ev('z', 11)], 10n);
    assert.deepEqual(ids(plan.events), ['z']);
    assert.equal(plan.replayed, 0);
    assert.equal(plan.maxReplayedSeq, undefined);
  });

  it('keeps events without a position after the others, in arrival order', () => {
    const plan = planReplay([ev('a', 11)], [ev('n1', null), ev('b', 12), ev('n2', null)], 10n);
    assert.deepEqual(ids(plan.events), ['a', 'b', 'n1', 'n2']);
  });

  it('is empty when nothing was missed and nothing arrived', () => {
    assert.deepEqual(planReplay([], []).events, []);
  });

  it('after the replay, treats live copies of replayed events and anything at or before the anchor as duplicates', () => {
    const replayed = new Set(['a', 'b']);
    assert.equal(isDuplicateLive(ev('a', 11), 10n, replayed), true);
    assert.equal(isDuplicateLive(ev('old', 7), 10n, undefined), true);
    assert.equal(isDuplicateLive(ev('c', 13), 10n, replayed), false);
    assert.equal(isDuplicateLive(ev('n', null), 10n, undefined), false);
    assert.equal(isDuplicateLive(ev('c', 13), undefined, undefined), false);
  });
});
