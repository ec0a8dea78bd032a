import assert from 'node:assert/strict';
import { createLogger } from '../common/logger';
import { afterCommit, armTestFault, faultPointFor, TEST_FAULT_EXIT_CODE } from './testFaults';

describe('test-only fault points of the actor host', () => {
  const log = createLogger('test-faults-test');
  log.silent = true;
  const exits: number[] = [];
  const exit = ((code: number) => {
    exits.push(code);
  }) as (code: number) => never;

  beforeEach(() => {
    exits.length = 0;
  });

  it('are off by default: an empty TODO_TEST_FAULT never exits', () => {
    faultPointFor('', log, exit)('crash-after-complete-commit');
    assert.deepEqual(exits, []);
  });

  it('crash only at the named point, with the test-fault exit code', () => {
    const point = faultPointFor('crash-after-complete-commit', log, exit);
    point('crash-after-complete-commit');
    assert.deepEqual(exits, [TEST_FAULT_EXIT_CODE]);
  });

  it('refuse an unknown fault name at start instead of ignoring it', () => {
    assert.throws(() => faultPointFor('crash-everywhere', log, exit), /TODO_TEST_FAULT must be empty or one of crash-after-complete-commit/);
  });

  describe('armed for the process', () => {
    afterEach(() => armTestFault('', log, exit));

    it('crash right after the commit of the command the fault names, and after no other command', () => {
      armTestFault('crash-after-complete-commit', log, exit);
      afterCommit('createTask');
      afterCommit('reopenTask');
      assert.deepEqual(exits, []);
      afterCommit('completeTask');
      assert.deepEqual(exits, [TEST_FAULT_EXIT_CODE]);
    });

    it('never crash when none is armed', () => {
      armTestFault('', log, exit);
      afterCommit('completeTask');
      assert.deepEqual(exits, []);
    });
  });
});
