/** UserActor's activation metrics: the SDK's activation and deactivation hooks count and time it (no Dapr contacted: no state changed). */
import assert from 'node:assert/strict';
import { ActorId, DaprClient } from '@dapr/dapr';
import { Pool } from 'pg';
import { KnownQuotaUse } from './quotas';
import { UserAlarms } from './userAlarms';
import { USER_ACTOR_TYPE } from '../common/actorApi';
import { createLogger } from '../common/logger';
import { actorActivationDuration, actorsActive } from '../common/metrics';
import { userActorClass } from './UserActor';

const value = async (m: { get(): Promise<{ values: Array<{ value: number; metricName?: string }> }> }, name?: string) =>
  (await m.get()).values.find((v) => name === undefined || v.metricName === name)?.value ?? 0;

describe('UserActor activation metrics', () => {
  // Port 1: nothing listens there, and nothing must be called.
  const client = new DaprClient({ daprHost: '127.0.0.1', daprPort: '1' });
  // Dependencies that are never used here: a pool connects only on its first query.
  const UserActor = userActorClass({ pool: new Pool(), kickOutbox: () => undefined, syncReminders: () => undefined, now: () => new Date(), reminderLeadMs: 0, log: createLogger('actor-metrics-test'), quotas: { openTasks: 10, pendingReminders: 10 }, knownUse: new KnownQuotaUse(), alarms: new UserAlarms() });

  it('the class the factory makes is named UserActor, the Dapr actor type', () => {
    assert.equal(UserActor.name, USER_ACTOR_TYPE);
  });

  it('actors_active counts activations minus deactivations, and every activation is timed', async () => {
    const active0 = await value(actorsActive);
    const timed0 = await value(actorActivationDuration, 'actor_activation_duration_seconds_count');
    const a = new UserActor(client, new ActorId('metrics-a'));
    const b = new UserActor(client, new ActorId('metrics-b'));
    await a.onActivateInternal();
    await b.onActivateInternal();
    assert.equal(await value(actorsActive), active0 + 2);
    await a.onDeactivateInternal();
    assert.equal(await value(actorsActive), active0 + 1);
    assert.equal(await value(actorActivationDuration, 'actor_activation_duration_seconds_count'), timed0 + 2);
  });
});
