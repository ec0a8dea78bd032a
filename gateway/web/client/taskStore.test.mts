import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matches, NO_FILTER, reconnectDelay, SeenIds, TaskStore } from './taskStore.mjs';
import type { StreamEvent, Task } from './types.mjs';

const task = (id: string, version: number, over: Partial<Task> = {}): Task => ({
  id, title: `task ${id}`, description: '', status: 'open', priority: 'none', tags: [], due: null, timezone: 'UTC', recurrence: null,
  reminders: [], seriesId: null, occurrence: 1, createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z', completedAt: null, version, ...over,
});
const ev = (type: string, t: Task): StreamEvent => ({ eventId: `${type}-${t.id}-${t.version}`, type, time: '', userId: 'u', taskId: t.id, data: type === 'task.deleted' ? { taskVersion: t.version } : { task: t } });

describe('the web page\'s copy of the tasks', () => {
  it('keeps the newest version of a task whatever order its copies arrive in', () => {
    fc.assert(fc.property(fc.shuffledSubarray([1, 2, 3, 4, 5], { minLength: 1 }), (versions) => {
      const s = new TaskStore();
      for (const v of versions) s.upsert(task('a', v, { title: `v${v}` }));
      assert.equal(s.tasks.get('a')?.version, Math.max(...versions));
    }));
  });

  it('does not bring back a deleted task from a late event or an older snapshot', () => {
    const s = new TaskStore();
    s.apply(ev('task.created', task('a', 1)));
    s.apply(ev('task.deleted', task('a', 2)));
    s.apply(ev('task.updated', task('a', 2)));
    s.resync([task('a', 1)], []);
    assert.equal(s.tasks.size, 0);
  });

  it('a resync drops tasks the snapshot does not have and keeps events that arrived while it was fetched', () => {
    const s = new TaskStore();
    s.upsert(task('gone', 1));
    s.upsert(task('b', 1));
    s.resync([task('b', 2)], [ev('task.created', task('new', 1)), ev('task.updated', task('b', 3))]);
    assert.deepEqual([...s.tasks.keys()].sort(), ['b', 'new']);
    assert.equal(s.tasks.get('b')?.version, 3);
  });

  it('a user.erased event (DELETE /v1/me on any device) empties the list, and a late event of an erased task does not bring it back', () => {
    const s = new TaskStore();
    s.apply(ev('task.created', task('a', 1)));
    s.apply(ev('task.created', task('b', 1)));
    assert.equal(s.apply({ eventId: 'e', type: 'user.erased', time: '', userId: 'u', taskId: '*', data: { tasks: 2, reminders: 0, idempotencyKeys: 0, outboxRows: 2 } } as unknown as StreamEvent), true);
    assert.equal(s.tasks.size, 0);
    s.apply(ev('task.updated', task('a', 2)));
    assert.equal(s.tasks.size, 0);
  });

  it('takes the task carried by a reminder.due event', () => {
    const s = new TaskStore();
    assert.equal(s.apply({ ...ev('reminder.due', task('a', 1)) }), true);
    assert.equal(s.apply({ ...ev('reminder.sent', task('a', 2)), data: {} }), false);
  });

  it('filters by status, tag, priority and every word of the search', () => {
    const t = task('a', 1, { title: 'Send the report', tags: ['work'], priority: 'high', description: 'to Anna' });
    assert.equal(matches(t, NO_FILTER), true);
    assert.equal(matches(t, { ...NO_FILTER, tag: 'work', priority: 'high', q: 'REPORT anna' }), true);
    assert.equal(matches(t, { ...NO_FILTER, tag: 'home' }), false);
    assert.equal(matches(t, { ...NO_FILTER, priority: 'low' }), false);
    assert.equal(matches(t, { ...NO_FILTER, q: 'report bob' }), false);
    assert.equal(matches(t, { ...NO_FILTER, status: 'completed' }), false);
    assert.equal(matches({ ...t, status: 'completed' }, { ...NO_FILTER, status: 'all' }), true);
  });

  it('lists the soonest due first, undated last, then the higher priority', () => {
    const s = new TaskStore();
    s.upsert(task('undated', 1, { priority: 'urgent' }));
    s.upsert(task('later', 1, { due: '2026-12-09T00:00:00Z' }));
    s.upsert(task('soon-low', 1, { due: '2026-12-08T00:00:00Z', priority: 'low' }));
    s.upsert(task('soon-high', 1, { due: '2026-12-08T00:00:00Z', priority: 'high' }));
    assert.deepEqual(s.view(NO_FILTER).map((t) => t.id), ['soon-high', 'soon-low', 'later', 'undated']);
  });

  it('notices a repeated id once, and forgets the oldest past its limit', () => {
    const seen = new SeenIds(2);
    assert.deepEqual(['a', 'a', 'b', 'c', 'a'].map((id) => seen.first(id)), [true, false, true, true, true]);
  });

  it('waits longer after each failed reconnect, never more than 10 s', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const d = reconnectDelay(n, r);
      assert.ok(d >= 250 && d <= 10_000);
      assert.ok(reconnectDelay(n + 1, 1) >= reconnectDelay(n, 1));
    }));
  });
});
