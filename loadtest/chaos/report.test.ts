import assert from 'node:assert/strict';
import { median, renderReliability, TABLE_END, TABLE_START, type ScenarioRun } from './report';
import type { Verdict } from './checks';

const verdict = (lost: number): Verdict => ({
  ackedWrites: 100, lost, doubled: 0, auditMissing: 0, deviceMissing: 0, remindersExpected: 10, neverFired: 0, firedTwice: 0, emailsForDone: 0,
  lateAfterHeal: 0, maxLateAfterHealS: 1.5, emailsLateAfterHeal: 0, maxEmailLateAfterHealS: 2, acceptedPastTime: 0, requestsDuringFault: 20, errorRateDuringFault: 0.1, fiveXxDuringFault: 2,
  noAnswerDuringFault: 0, recoverS: 2, collateralExits: [], examples: {},
});
const run = (lost: number): ScenarioRun => ({ scenario: 3, key: 'postgres', title: 't', at: '2026-12-03T08:00:00.000Z', faultS: 12, notes: [], verdict: verdict(lost) });

describe('the reliability table', () => {
  it('takes medians, and shows the worst run of a figure beside its median', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([1, 2, 3, 4]), 2.5);
    const doc = renderReliability({ 3: [run(0), run(0), run(2)] });
    const row = doc.split('\n').find((l) => l.startsWith('| 3 |'))!;
    assert.match(row, /\| 3 \| .* \| 3 \| 100 \| 0 \(max 2\) \| 0 \|/);
    assert.match(doc.split('\n').find((l) => l.startsWith('| 1 |'))!, /not run yet/);
  });

  it('has one cell per column in every row, and keeps the prose around the table', () => {
    const prose = `# Title\n\nbefore\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
    const doc = renderReliability({ 3: [run(0)] }, prose);
    assert.ok(doc.startsWith('# Title\n\nbefore\n'));
    assert.ok(doc.endsWith(`${TABLE_END}\n\nafter\n`));
    assert.doesNotMatch(doc, /\nold\n/);
    const rows = doc.split('\n').filter((l) => l.startsWith('|'));
    const cells = (l: string) => l.split('|').length;
    for (const r of rows) assert.equal(cells(r), cells(rows[0]), r);
  });
});
