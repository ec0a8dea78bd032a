import assert from 'node:assert/strict';
import { planUp, type StackState } from './stackState';

const state = (checkout: string, buildId = 'b1'): StackState => ({ checkout, buildId, startedAt: '2026-11-23T00:00:00Z', pgPort: 5432, processes: [] });

describe('what stack up does with a running stack', () => {
  it('starts fresh when nothing is recorded or nothing recorded is alive', () => {
    assert.deepEqual(planUp(undefined, '/work/main', 'b1', false), { kind: 'fresh' });
    assert.deepEqual(planUp(state('/tmp/other'), '/work/main', 'b1', false), { kind: 'fresh' });
  });

  it("takes over a stack started from another checkout's code instead of reusing it", () => {
    assert.deepEqual(planUp(state('/tmp/fresh'), '/work/main', 'b1', true), { kind: 'takeover', from: '/tmp/fresh' });
  });

  it('reuses its own stack, restarting the services only when the build changed', () => {
    assert.deepEqual(planUp(state('/work/main'), '/work/main', 'b1', true), { kind: 'resume', restartApps: false });
    assert.deepEqual(planUp(state('/work/main/'), '/work/main', 'b2', true), { kind: 'resume', restartApps: true });
  });
});
