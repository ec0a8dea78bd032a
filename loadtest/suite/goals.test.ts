import assert from 'node:assert/strict';
import { figure } from './figures';
import { GOALS, judge, meets } from './goals';

describe('benchmark figures are judged against the goals', () => {
  it('compares with the operator the goal states', () => {
    assert.equal(meets({ op: '<', value: 500 }, 499.9), true);
    assert.equal(meets({ op: '<', value: 500 }, 500), false);
    assert.equal(meets({ op: '<=', value: 25 }, 25), true);
    assert.equal(meets({ op: '>', value: 100 }, 100), false);
    assert.equal(meets({ op: '>=', value: 1000 }, 1000), true);
    assert.equal(meets({ op: '>=', value: 1000 }, Number.NaN), false);
  });

  it('judges the median and counts the runs that met the goal', () => {
    const goal = { figure: 'x', op: '<=' as const, value: 25, text: 'p99 ≤ 25 ms', source: 'issue 3' };
    assert.deepEqual(judge(goal, figure('x', 'p99', 'ms', [20, 30, 24])), { verdict: 'met', runsMet: 2, runs: 3 });
    assert.deepEqual(judge(goal, figure('x', 'p99', 'ms', [26, 30, 24])), { verdict: 'missed', runsMet: 1, runs: 3 });
  });

  it('says "not measured" for a figure that was not run, never met', () => {
    const goal = GOALS[0];
    assert.equal(judge(goal, undefined).verdict, 'not measured');
    assert.equal(judge(goal, figure(goal.figure, '', '', [Number.NaN])).verdict, 'not measured');
  });

  it('has the goals of issues 3, 4 and 5 and the seed SLAs', () => {
    const sources = new Set(GOALS.map((g) => g.source));
    for (const s of ['issue 3', 'issue 4', 'issue 5', 'seed SLA']) assert.ok(sources.has(s), s);
  });
});
