import assert from 'node:assert/strict';
import { judge, ZERO_GOALS, type Observed } from './checks';
import type { LoadResult, Write } from './load';

const T0 = Date.parse('2026-12-03T08:00:00Z');
const user = { id: 'u1', email: 'u1@example.com' };

function world(writes: Write[], extra: Partial<Observed> = {}): Observed {
  const load: LoadResult = {
    startedAt: T0, endedAt: T0 + 60_000, users: [user], writes, attempts: [],
    devices: [{ user: 'u1', index: 0, firstConnectedAt: T0 - 1000, received: new Set(), reconnects: 0, resyncs: {} }],
  };
  return { load, faultAt: T0 + 10_000, healedAt: T0 + 20_000, tasks: [], outbox: [], audit: [], emails: [], collateral: [], ...extra };
}

const created = (title: string, taskId: string, reminderAt?: number): Write => ({ user: 'u1', op: reminderAt ? 'createReminder' : 'create', title, taskId, reminderAt, acked: true, ackedAt: T0 + 1000, startedAt: T0 });
const ev = (event_id: string, type: string, task_id: string, at = T0 + 2000) => ({ event_id, user_id: 'u1', type, task_id, event_time: new Date(at) });

describe('the chaos verdict', () => {
  it('is all zeros when every acknowledged write is stored once, audited, on the device, and its reminder emailed once on time', () => {
    const at = T0 + 30_000;
    const o = world([created('a', 't1'), created('b', 't2', at)], {
      tasks: [{ user_id: 'u1', id: 't1', title: 'a', status: 'open', occurrence: 1 }, { user_id: 'u1', id: 't2', title: 'b', status: 'open', occurrence: 1 }],
      outbox: [ev('e1', 'task.created', 't1'), ev('e2', 'task.created', 't2'), ev('e3', 'reminder.due', 't2', at)],
      audit: [ev('e1', 'task.created', 't1'), ev('e2', 'task.created', 't2'), ev('e3', 'reminder.due', 't2', at)],
      emails: [{ to: ['u1@example.com'], subject: 'Reminder: b', receivedAt: new Date(at + 300).toISOString() }],
    });
    for (const id of ['e1', 'e2', 'e3']) o.load.devices[0].received.add(id);
    const v = judge(o);
    for (const k of ZERO_GOALS) assert.equal(v[k], 0, k);
    assert.equal(v.remindersExpected, 1);
    assert.equal(v.ackedWrites, 2);
  });

  it('counts a lost write, a doubled create, an event missing from the audit and from a device, and a reminder that never fired', () => {
    const o = world([created('a', 't1'), created('b', 't2'), created('c', 't3', T0 + 30_000)], {
      tasks: [{ user_id: 'u1', id: 't2', title: 'b', status: 'open', occurrence: 1 }, { user_id: 'u1', id: 't9', title: 'b', status: 'open', occurrence: 1 },
        { user_id: 'u1', id: 't3', title: 'c', status: 'open', occurrence: 1 }],
      outbox: [ev('e2', 'task.created', 't2'), ev('e3', 'task.created', 't3')],
      audit: [ev('e2', 'task.created', 't2')],
    });
    const v = judge(o);
    assert.equal(v.lost, 1, 't1 is gone');
    assert.equal(v.doubled, 1, 'b is stored twice');
    assert.equal(v.auditMissing, 2, "e3 (t3's creation) is not audited, nor is t1's creation, which is not even in the outbox");
    assert.equal(v.deviceMissing, 1, 'the device lacks e2');
    assert.equal(v.neverFired, 1);
  });

  it('counts an email for a task deleted before its reminder, and a reminder emailed twice or late after healing', () => {
    const late = T0 + 25_000;
    const doomed: Write = { ...created('d', 'td', T0 + 40_000), op: 'createDoomed' };
    const del: Write = { user: 'u1', op: 'deleteDoomed', title: 'd', taskId: 'td', acked: true, ackedAt: T0 + 5000, startedAt: T0 + 4000 };
    const o = world([doomed, del, created('twice', 't2', T0 + 15_000), created('late', 't3', late)], {
      tasks: [{ user_id: 'u1', id: 't2', title: 'twice', status: 'open', occurrence: 1 }, { user_id: 'u1', id: 't3', title: 'late', status: 'open', occurrence: 1 }],
      audit: [ev('x1', 'task.created', 'td'), ev('x2', 'task.deleted', 'td'), ev('x3', 'task.created', 't2'), ev('x4', 'task.created', 't3'),
        ev('x5', 'reminder.due', 't2', T0 + 20_500), ev('x6', 'reminder.due', 't3', late + 11_000)],
      emails: [
        { to: ['u1@example.com'], subject: 'Reminder: d', receivedAt: new Date(T0 + 40_100).toISOString() },
        { to: ['u1@example.com'], subject: 'Reminder: twice', receivedAt: new Date(T0 + 21_000).toISOString() },
        { to: ['u1@example.com'], subject: 'Reminder: twice', receivedAt: new Date(T0 + 22_000).toISOString() },
        { to: ['u1@example.com'], subject: 'Reminder: late', receivedAt: new Date(late + 12_000).toISOString() },
      ],
    });
    const v = judge(o);
    assert.equal(v.emailsForDone, 1);
    assert.equal(v.lost, 0, 'a created task that was then deleted is not lost');
    assert.equal(v.firedTwice, 1);
    assert.equal(v.lateAfterHeal, 1, 'the one that fired 11 s after its time, which came after the healing');
    assert.equal(v.maxLateAfterHealS, 11);
    assert.equal(v.emailsLateAfterHeal, 1);
    assert.equal(v.maxEmailLateAfterHealS, 12);
  });

  it('reports, apart, a create acknowledged after its reminder\'s time, and the error rate and recovery around the fault', () => {
    const past: Write = { ...created('p', 't1', T0 + 12_000), ackedAt: T0 + 13_000 };
    const o = world([past], { tasks: [{ user_id: 'u1', id: 't1', title: 'p', status: 'open', occurrence: 1 }], audit: [ev('e', 'task.created', 't1', T0 - 5000)] });
    o.load.attempts = [
      { op: 'list', startedAt: T0 + 11_000, endedAt: T0 + 11_100, status: 503 },
      { op: 'list', startedAt: T0 + 12_000, endedAt: T0 + 12_100, status: 200 },
      { op: 'create', startedAt: T0 + 19_000, endedAt: T0 + 23_000, status: 0 },
      { op: 'list', startedAt: T0 + 24_000, endedAt: T0 + 24_100, status: 200 },
    ];
    const v = judge(o);
    assert.equal(v.acceptedPastTime, 1);
    assert.equal(v.neverFired, 1, 'accepted 1 s after its time, it should have fired at once');
    assert.equal(v.requestsDuringFault, 3);
    assert.equal(v.fiveXxDuringFault, 1);
    assert.equal(v.noAnswerDuringFault, 1);
    assert.ok(Math.abs(v.errorRateDuringFault - 2 / 3) < 1e-9);
    assert.equal(v.recoverS, 3, 'the last failure ended 3 s after the healing');
  });
});
