import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Task, TaskCreateInput } from '../common/tasks/task';
import { applyPatch, changesReminderTimes, completedTask, crossFieldErrors, newTask, nextOccurrence, pastReminderErrors, REMINDER_PAST_GRACE_MS, reopenedTask } from './taskRules';

const NOW = new Date('2026-11-23T10:00:00Z');
const LATER = new Date('2026-11-24T08:30:00Z');

describe('task rules (actors/taskRules.ts)', () => {
  describe('newTask', () => {
    it('fills the defaults: open, trimmed title, no description, tags, due or recurrence, the caller\'s zone, version 1', () => {
      const t = newTask({ title: '  Send the report  ' }, 'Europe/Berlin', NOW);
      assert.equal(t.title, 'Send the report');
      assert.deepEqual(
        { status: t.status, description: t.description, priority: t.priority, tags: t.tags, due: t.due, timezone: t.timezone, recurrence: t.recurrence, reminders: t.reminders },
        { status: 'open', description: '', priority: 'none', tags: [], due: null, timezone: 'Europe/Berlin', recurrence: null, reminders: [] },
      );
      assert.deepEqual({ seriesId: t.seriesId, occurrence: t.occurrence, version: t.version, completedAt: t.completedAt }, { seriesId: null, occurrence: 1, version: 1, completedAt: null });
      assert.equal(t.createdAt, NOW.toISOString());
      assert.equal(t.updatedAt, NOW.toISOString());
    });

    it('stores due and absolute reminder times as UTC instants and gives every reminder an id', () => {
      const t = newTask({ title: 'x', due: '2026-12-01T09:00:00+01:00', timezone: 'UTC', reminders: [{ before: 'PT15M' }, { id: 'mine', at: '2026-12-01T07:00:00+01:00' }] }, 'Europe/Berlin', NOW);
      assert.equal(t.due, '2026-12-01T08:00:00.000Z');
      assert.equal(t.timezone, 'UTC');
      assert.equal(t.reminders.length, 2);
      assert.ok(typeof t.reminders[0].id === 'string' && t.reminders[0].id.length > 0);
      assert.deepEqual(t.reminders[1], { id: 'mine', at: '2026-12-01T06:00:00.000Z' });
    });

    it('starts a series of its own when it recurs (from the due time unless told otherwise)', () => {
      // `from` as a caller may leave it out (the schema makes it optional).
      const t = newTask({ title: 'x', due: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY' } } as TaskCreateInput, 'UTC', NOW);
      assert.equal(t.seriesId, t.id);
      assert.deepEqual(t.recurrence, { rule: 'FREQ=DAILY', from: 'due' });
    });

    it('gives every task a new id', () => {
      fc.assert(fc.property(fc.integer({ min: 2, max: 20 }), (n) => new Set(Array.from({ length: n }, () => newTask({ title: 'x' }, 'UTC', NOW).id)).size === n));
    });
  });

  describe('applyPatch', () => {
    const base = newTask({ title: 'Send the report', tags: ['work'], due: '2026-12-01T09:00:00Z', reminders: [{ id: 'r1', before: 'PT15M' }] }, 'UTC', NOW);

    it('changes nothing, not even the version, when every value given is the one stored', () => {
      fc.assert(fc.property(fc.subarray(['title', 'description', 'priority', 'tags', 'due', 'timezone', 'recurrence', 'reminders'] as const), (fields) => {
        const changes = Object.fromEntries(fields.map((f) => [f, base[f]]));
        const out = applyPatch(base, changes, LATER);
        return out.changed.length === 0 && out.task === base;
      }));
    });

    it('names exactly the fields whose value changed, and moves to the next version at the patch\'s time', () => {
      const out = applyPatch(base, { title: '  Send the report ', priority: 'high', due: '2026-12-02T09:00:00+00:00' }, LATER);
      assert.deepEqual(out.changed, ['priority', 'due']);
      assert.equal(out.task.priority, 'high');
      assert.equal(out.task.due, '2026-12-02T09:00:00.000Z');
      assert.equal(out.task.version, base.version + 1);
      assert.equal(out.task.updatedAt, LATER.toISOString());
      assert.equal(out.task.createdAt, base.createdAt);
    });

    it('clears a due time with null, and starts a series when a recurrence is added to a task without one', () => {
      assert.equal(applyPatch(base, { due: null }, LATER).task.due, null);
      const recurring = applyPatch(base, { recurrence: { rule: 'FREQ=WEEKLY', from: 'completion' } }, LATER).task;
      assert.deepEqual(recurring.recurrence, { rule: 'FREQ=WEEKLY', from: 'completion' });
      assert.equal(recurring.seriesId, base.id);
    });
  });

  describe('crossFieldErrors', () => {
    it('accepts a plain task and a recurring one with a due time its rule can repeat from', () => {
      assert.deepEqual(crossFieldErrors(newTask({ title: 'x' }, 'UTC', NOW)), []);
      assert.deepEqual(crossFieldErrors(newTask({ title: 'x', due: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY', from: 'due' } }, 'UTC', NOW)), []);
    });

    it('refuses a reminder id used twice, naming the second', () => {
      const t = newTask({ title: 'x', due: '2026-12-01T09:00:00Z', reminders: [{ id: 'a', before: 'PT5M' }, { id: 'b', before: 'PT10M' }, { id: 'a', before: 'PT15M' }] }, 'UTC', NOW);
      assert.deepEqual(crossFieldErrors(t), [{ field: 'reminders.2.id', message: 'is used twice' }]);
    });

    it('refuses a recurring task without a due time', () => {
      const t = newTask({ title: 'x', recurrence: { rule: 'FREQ=DAILY', from: 'due' } }, 'UTC', NOW);
      assert.deepEqual(crossFieldErrors(t), [{ field: 'due', message: 'is required for a recurring task: its first due time starts the series' }]);
    });

    it('refuses a rule that never repeats after its first due time', () => {
      const t = newTask({ title: 'x', due: '2026-12-01T09:00:00Z', recurrence: { rule: 'FREQ=DAILY;UNTIL=20261101T000000Z', from: 'due' } }, 'UTC', NOW);
      const errors = crossFieldErrors(t);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].field, 'recurrence.rule');
    });
  });

  describe('completing, reopening and the next occurrence', () => {
    const recurring = newTask({ title: 'Water the plants', tags: ['home'], priority: 'low', due: '2026-11-23T09:00:00Z', recurrence: { rule: 'FREQ=DAILY;COUNT=2', from: 'due' },
      reminders: [{ id: 'off', before: 'PT1H' }, { id: 'abs', at: '2026-11-23T07:00:00Z' }] }, 'UTC', NOW);

    it('a completed task is one version later, completed at the time given; reopened, it is open again one version later', () => {
      const done = completedTask(recurring, LATER);
      assert.deepEqual({ status: done.status, completedAt: done.completedAt, updatedAt: done.updatedAt, version: done.version },
        { status: 'completed', completedAt: LATER.toISOString(), updatedAt: LATER.toISOString(), version: recurring.version + 1 });
      const again = reopenedTask(done, LATER);
      assert.deepEqual({ status: again.status, completedAt: again.completedAt, version: again.version }, { status: 'open', completedAt: null, version: recurring.version + 2 });
    });

    it('the next occurrence is a new open task of the same series, due at the next time, keeping only the reminder offsets', () => {
      const done = completedTask(recurring, LATER);
      const next = nextOccurrence(done, LATER) as Task;
      assert.ok(next);
      assert.notEqual(next.id, recurring.id);
      assert.deepEqual(
        { seriesId: next.seriesId, occurrence: next.occurrence, status: next.status, due: next.due, version: next.version, completedAt: next.completedAt, title: next.title, tags: next.tags, priority: next.priority },
        { seriesId: recurring.id, occurrence: 2, status: 'open', due: '2026-11-24T09:00:00.000Z', version: 1, completedAt: null, title: 'Water the plants', tags: ['home'], priority: 'low' },
      );
      assert.deepEqual(next.reminders, [{ id: 'off', before: 'PT1H' }]);
      assert.equal(next.createdAt, LATER.toISOString());
    });

    it('there is none for a task that does not recur, nor after the series\' last occurrence', () => {
      assert.equal(nextOccurrence(completedTask(newTask({ title: 'x', due: '2026-11-23T09:00:00Z' }, 'UTC', NOW), LATER), LATER), null);
      const last = { ...recurring, occurrence: 2, due: '2026-11-24T09:00:00.000Z' };
      assert.equal(nextOccurrence(completedTask(last, LATER), LATER), null);
    });
  });

  it('a change of due, timezone or reminders moves the reminders; other fields do not', () => {
    assert.equal(changesReminderTimes(['title', 'tags']), false);
    for (const f of ['due', 'timezone', 'reminders']) assert.equal(changesReminderTimes(['title', f]), true);
  });
});

describe('reminders set for a moment that has passed (actors/taskRules.ts pastReminderErrors)', () => {
  const now = new Date('2026-12-03T09:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('accepts a reminder less than the grace period in the past (it fires at once, late) and refuses one further back, naming it', () => {
    const t = newTask({ title: 'x', reminders: [{ id: 'soon', at: ago(REMINDER_PAST_GRACE_MS - 1000) }, { id: 'gone', at: ago(REMINDER_PAST_GRACE_MS + 1000) }] }, 'UTC', now);
    const errors = pastReminderErrors(t, undefined, now);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].field, 'reminders.1');
    assert.match(errors[0].message, /"gone" would fire at .* more than 60 s in the past/);
  });

  it('treats a `before` reminder whose time passed because the due time is near the same way', () => {
    const t = newTask({ title: 'x', due: new Date(now.getTime() + 5 * 60_000).toISOString(), reminders: [{ id: 'b', before: 'PT15M' }] }, 'UTC', now);
    assert.deepEqual(pastReminderErrors(t, undefined, now).map((e) => e.field), ['reminders.0']);
    const near = newTask({ title: 'x', due: new Date(now.getTime() + 14.5 * 60_000).toISOString(), reminders: [{ id: 'b', before: 'PT15M' }] }, 'UTC', now);
    assert.deepEqual(pastReminderErrors(near, undefined, now), [], '30 s past: within the grace period');
  });

  it('does not judge again a reminder the write leaves where it was, so an old task stays editable; a moved one is judged', () => {
    const created = newTask({ title: 'x', reminders: [{ id: 'r', at: '2026-12-01T08:00:00Z' }] }, 'UTC', new Date('2026-11-30T00:00:00Z'));
    const { task: renamed } = applyPatch(created, { title: 'y' }, now);
    assert.deepEqual(pastReminderErrors(renamed, created, now), []);
    const { task: moved } = applyPatch(created, { reminders: [{ id: 'r', at: '2026-12-02T08:00:00Z' }] }, now);
    assert.deepEqual(pastReminderErrors(moved, created, now).map((e) => e.field), ['reminders.0']);
    assert.deepEqual(pastReminderErrors(completedTask(created, now), created, now), [], 'a completed task has no reminder to fire');
  });
});
