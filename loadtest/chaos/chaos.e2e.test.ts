/**
 * Fault scenarios of `npm run chaos` that a test run can afford, on the real stack, each once with
 * a shorter load: the zero goals must hold (nothing acknowledged lost or applied twice, every
 * event in the audit and on both devices of its user, every due reminder fired and emailed once,
 * none for a task done before its time, none later than 10 s after the healing), and nothing but
 * the fault's target may die. No time is asserted: the figures are in loadtest/RELIABILITY.md.
 */
import assert from 'node:assert/strict';
import { config } from '../../common/config';
import { useActorHosts } from '../suite/scaling';
import { ZERO_GOALS } from './checks';
import { DEFAULT_LOAD } from './load';
import { runScenario, summaryLine, type RunOptions } from './run';
import { scenariosNamed } from './scenarios';

const SHORT: RunOptions = {
  load: { ...DEFAULT_LOAD, users: 4, ratePerUser: 2, reminderLeadMs: [8000, 30_000], doomedLeadMs: 35_000 },
  preFaultMs: 8000, postHealMs: 12_000, settleMs: 90_000,
};

describe('faults under load (chaos scenarios 1, 3 and 5)', function () {
  this.timeout(8 * 60_000);
  const hostsBefore = config.actorHosts;
  after(async () => {
    await useActorHosts(hostsBefore);
  });

  for (const s of scenariosNamed('1,3,5')) {
    it(`scenario ${s.id}, ${s.title}: nothing acknowledged is lost or doubled, every event reaches the audit and the devices, every due reminder fires once`, async () => {
      const run = await runScenario(s, SHORT, () => undefined);
      const v = run.verdict;
      const line = summaryLine(v);
      assert.ok(v.ackedWrites > 20, `the load wrote: ${line}`);
      assert.ok(v.remindersExpected > 0, `some reminders were due: ${line}`);
      for (const k of ZERO_GOALS) assert.equal(v[k], 0, `${k}: ${line}`);
      assert.deepEqual(v.collateralExits, [], `only the fault's target died: ${line}`);
    });
  }
});
