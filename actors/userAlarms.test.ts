import assert from 'node:assert/strict';
import { alarmName, coveredBy, UserAlarms } from './userAlarms';

const t = (s: string) => new Date(`2026-12-07T10:00:${s}Z`);

describe('a user\'s alarm (actors/userAlarms.ts)', () => {
  it('covers a reminder at or after its time, and none when no alarm is known', () => {
    assert.equal(coveredBy(t('05'), t('05')), true);
    assert.equal(coveredBy(t('05'), t('09')), true);
    assert.equal(coveredBy(t('05'), t('04')), false);
    assert.equal(coveredBy(undefined, t('09')), false);
  });

  it('has one Dapr name per instant, so registering a new alarm never replaces another', () => {
    assert.equal(alarmName(t('05')), `alarm-${t('05').getTime()}`);
    assert.notEqual(alarmName(t('05')), alarmName(t('06')));
  });

  it('remembers what a sync registered, until the alarm fires', () => {
    const alarms = new UserAlarms();
    alarms.record('u', t('05'), alarms.generation());
    assert.deepEqual(alarms.alarmOf('u'), t('05'));
    assert.equal(alarms.alarmOf('other'), undefined);
    alarms.forget('u');
    assert.equal(alarms.alarmOf('u'), undefined);
  });

  it('does not record an alarm that fired after the sync read the schedule', () => {
    const alarms = new UserAlarms();
    const before = alarms.generation();
    alarms.forget('u'); // the alarm fired while the sync was registering
    alarms.record('u', t('05'), before);
    assert.equal(alarms.alarmOf('u'), undefined, 'the stale sync leaves nothing recorded');
    alarms.record('u', t('09'), alarms.generation());
    assert.deepEqual(alarms.alarmOf('u'), t('09'), 'a sync that read after the firing records');
  });

  it('keeps nothing for a deactivated actor, and records nothing from a sync that read before the deactivation', () => {
    const alarms = new UserAlarms();
    alarms.record('u', t('05'), alarms.generation());
    const before = alarms.generation();
    alarms.drop('u');
    assert.equal(alarms.alarmOf('u'), undefined);
    alarms.record('u', t('05'), before);
    assert.equal(alarms.alarmOf('u'), undefined);
    alarms.record('u', t('05'), alarms.generation());
    assert.deepEqual(alarms.alarmOf('u'), t('05'));
  });

  it('is not disturbed by another user\'s firing', () => {
    const alarms = new UserAlarms();
    alarms.record('u', t('05'), alarms.generation());
    const before = alarms.generation();
    alarms.forget('v');
    alarms.record('u', t('03'), before);
    assert.deepEqual(alarms.alarmOf('u'), t('03'));
  });
});
