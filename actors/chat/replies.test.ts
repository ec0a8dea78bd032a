import assert from 'node:assert/strict';
import type { Task } from '../../common/tasks/task';
import { quote, Replies } from './replies';

const now = new Date('2026-11-24T10:00:00.000Z');
const task = (over: Partial<Task>): Task => ({
  id: 't1', title: 'buy milk', description: '', status: 'open', priority: 'none', tags: [], due: null, timezone: 'UTC', recurrence: null,
  reminders: [], seriesId: null, occurrence: 1, createdAt: '', updatedAt: '', completedAt: null, version: 1, ...over,
});

describe('the chat’s replies', () => {
  const say = new Replies(now, 'UTC');

  it('a created task is said with its due time in the user’s zone, its priority, tags and reminders', () => {
    const t = task({ due: '2026-11-25T17:00:00.000Z', priority: 'high', tags: ['errands'], reminders: [{ id: 'r1', before: 'PT30M' }] });
    assert.equal(say.added(t), 'Added “buy milk”, due tomorrow at 5:00 PM (high priority, #errands). I\'ll remind you 30 minutes before (tomorrow at 4:30 PM).');
  });

  it('one listed task is counted in the singular, more than shown are counted after the list', () => {
    assert.equal(say.listed({ status: 'open' }, [task({})], false), 'You have one open task:\n1. “buy milk”');
    const many = Array.from({ length: 12 }, (_, i) => task({ id: `t${i}`, title: `t${i}` }));
    const reply = say.listed({}, many, true);
    assert.match(reply, /^You have 12\+ tasks \(showing the first 12; there are more\):/);
    assert.match(reply, /…and 2 more\.$/);
  });

  it('the question for too many matches says how many matched and how many it names', () => {
    const action = { intent: 'complete' as const, ref: { kind: 'text' as const, text: 'report' } };
    const q = say.whichOne(action, [{ title: 'a', due: null, status: 'open' }], { matched: 7, unmatched: 'report', max: 5 });
    assert.equal(q, '7 tasks match; which one should I mark as done? Here are the first 5, or say more of the title.\n1. “a”');
  });

  it('a long title is cut to 80 characters', () => {
    assert.equal(quote('x'.repeat(100)).length, 82);
  });
});
