/**
 * Stopping the gateway on the real stack: SIGTERM must take its device-stream consumer out of its
 * Kafka group before the process exits. A member that vanishes without leaving keeps the group
 * until its session times out (30 s); a gateway restarted on the same host and port joins the same
 * group and stays not ready that long (seen as 20–30 s `npm run stack -- up` starts).
 */
import assert from 'node:assert/strict';
import { createKafka } from '../common/kafka';
import { createLogger } from '../common/logger';
import { isAlive, stopProcess } from '../stack/processes';
import { up } from '../stack/stack';
import { readState, type ProcessRecord } from '../stack/stackState';
import { eventually, gatewayUrl } from '../stack/testSupport';
import { syncGroupId } from './stream/syncConsumer';

const gatewayProcess = (): ProcessRecord | undefined => readState()?.processes.find((x) => x.name === 'gateway');

async function groupMembers(groupId: string): Promise<{ state: string; members: number }> {
  const admin = createKafka('gateway-shutdown-test', createLogger('gateway-shutdown-test'), { quiet: true }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return { state: groups[0].state, members: groups[0].members.length };
  } finally {
    await admin.disconnect();
  }
}

async function ready(): Promise<boolean | undefined> {
  const res = await fetch(`${gatewayUrl()}/readyz`).catch(() => undefined);
  return res?.status === 200 ? true : undefined;
}

describe('stopping the gateway', function () {
  this.timeout(120_000);
  after(async () => {
    // Whatever happened, leave a running, ready gateway behind for the tests after this one.
    await up();
    await eventually(ready, 60_000, 'the gateway is ready again');
  });

  it('SIGTERM leaves the device stream\'s consumer group before the process exits, so nothing holds the group for a restarted gateway', async () => {
    await eventually(ready, 60_000, 'the gateway is ready');
    const group = syncGroupId();
    const before = await groupMembers(group);
    assert.equal(before.members, 1, `the running gateway is the one member of ${group} (${JSON.stringify(before)})`);

    const gateway = gatewayProcess();
    assert.ok(gateway && isAlive(gateway), 'the stack runs a gateway');
    assert.equal(await stopProcess(gateway, 'SIGTERM', 15_000), 'stopped', 'the gateway exits on SIGTERM');

    const after = await groupMembers(group);
    assert.equal(after.members, 0, `no member left in ${group} once the gateway has exited (${JSON.stringify(after)})`);
    assert.equal(after.state, 'Empty');
  });
});
