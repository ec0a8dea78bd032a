import assert from 'node:assert/strict';
import { figure, formatFigure, ratio, summarizeKeys } from './figures';

describe('a benchmark figure is the median of its runs with min and max', () => {
  it('summarizes the runs that were measured and leaves out the others', () => {
    const f = figure('a', 'a', 'ms', [30, Number.NaN, 10, 20]);
    assert.deepEqual(f.summary, { median: 20, min: 10, max: 30 });
    assert.ok(Number.isNaN(figure('b', 'b', 'ms', [Number.NaN]).summary.median));
  });

  it('makes ratios run by run, so each ratio compares measurements of the same run', () => {
    const storm = figure('s', 's', 'req/s', [50, 80, 60]);
    const base = figure('b', 'b', 'req/s', [100, 100, 200]);
    assert.deepEqual(ratio('r', 'r', storm, base).runs, [0.5, 0.8, 0.3]);
    assert.deepEqual(ratio('r', 'r', storm, base).summary, { median: 0.5, min: 0.3, max: 0.8 });
  });

  it('formats median (min–max) with the unit, or one value when the runs agree', () => {
    assert.equal(formatFigure(figure('a', 'a', 'ms', [12.34, 10.01, 15.5])), '12.3 ms (10.0–15.5)');
    assert.equal(formatFigure(figure('a', 'a', 'req/s', [1234, 1200, 1300])), '1,234 req/s (1,200–1,300)');
    assert.equal(formatFigure(figure('a', 'a', '×', [0.5, 0.4, 0.6])), '0.500× (0.400–0.600)');
    assert.equal(formatFigure(figure('a', 'a', '', [0, 0, 0])), '0.000');
    assert.equal(formatFigure(figure('a', 'a', 'ms', [])), 'not measured');
  });

  it('summarizes per-process tables key by key, a missing key counting as 0', () => {
    assert.deepEqual(summarizeKeys([{ a: 1, b: 2 }, { a: 3 }, { a: 2, b: 4 }]), {
      a: { median: 2, min: 1, max: 3 }, b: { median: 2, min: 0, max: 4 },
    });
  });
});
