import assert from 'node:assert/strict';
import type { Task, TaskCreateInput } from '../../common/tasks/task';
import { emptyContext, type ChatContext } from './context';
import { converse, type ChatPorts } from './conversation';
import type { DeliveryReport } from '../reminderDelivery';

/** An in-memory task list behind the ports: enough to pin down the turn logic (the real stack is in the e2e tests). */
function memoryPorts(): ChatPorts & { tasks: Task[]; reports: DeliveryReport[] } {
  const tasks: Task[] = [];
  const reports: DeliveryReport[] = [];
  let n = 0;
  const make = (input: TaskCreateInput): Task => ({
    id: `t${++n}`, title: input.title, description: '', status: 'open', priority: input.priority ?? 'none', tags: input.tags ?? [],
    due: input.due ?? null, timezone: input.timezone ?? 'UTC', recurrence: input.recurrence ? { rule: input.recurrence.rule, from: input.recurrence.from ?? 'due' } : null,
    reminders: (input.reminders ?? []).map((r, i) => ({ id: `r${n}-${i}`, ...(r.before ? { before: r.before } : { at: r.at as string }) }) as Task['reminders'][number]),
    seriesId: null, occurrence: 1, createdAt: '', updatedAt: '', completedAt: null, version: 1,
  });
  const find = (id: string) => tasks.find((t) => t.id === id);
  const missing = { ok: false as const, error: { status: 404 as const, code: 'not_found' as const, message: 'no task' } };
  return {
    tasks,
    reports,
    deliveries: async (ids, limit) => reports.filter((r) => ids === null || ids.includes(r.taskId)).slice(0, limit),
    summaries: async () => [...tasks].reverse(),
    create: async (input) => {
      const t = make(input);
      tasks.push(t);
      return { ok: true, task: t, created: true };
    },
    list: async (q) => ({ ok: true, items: tasks.filter((t) => !q.status || t.status === q.status), nextCursor: null }),
    get: async (id) => find(id) ?? null,
    complete: async (id) => {
      const t = find(id);
      if (!t) return missing;
      t.status = 'completed';
      const next = t.recurrence ? make({ title: t.title, due: '2026-11-30T08:00:00.000Z', recurrence: t.recurrence }) : null;
      if (next) tasks.push(next);
      return { ok: true, task: t, next };
    },
    reopen: async (id) => {
      const t = find(id);
      if (!t) return missing;
      t.status = 'open';
      return { ok: true, task: t };
    },
    remove: async (id) => {
      const i = tasks.findIndex((t) => t.id === id);
      if (i < 0) return missing;
      tasks.splice(i, 1);
      return { ok: true, deleted: true };
    },
    update: async (id, changes) => {
      const t = find(id);
      if (!t) return missing;
      Object.assign(t, changes);
      return { ok: true, task: t };
    },
  };
}

const NOW = new Date('2026-11-23T10:00:00Z');

describe('a chat turn (conversation.ts, in-memory tasks)', () => {
  let ports: ReturnType<typeof memoryPorts>;
  let context: ChatContext;
  const say = async (message: string, now = NOW) => {
    const out = await converse({ message, now, timezone: 'Europe/Berlin', context }, ports);
    context = out.context;
    return out;
  };
  beforeEach(() => {
    ports = memoryPorts();
    context = emptyContext();
  });

  it('"it" with nothing mentioned yet asks which task, naming the open ones, and changes nothing', async () => {
    await ports.create({ title: 'water plants' });
    const out = await say('mark it as done');
    assert.equal(out.intent, 'clarify');
    assert.match(out.reply, /water plants/);
    assert.equal(ports.tasks[0].status, 'open');
    assert.equal(context.pending?.kind, 'pick');
  });

  it('a message that is not an answer drops the question and is handled as itself', async () => {
    await ports.create({ title: 'expense report' });
    await ports.create({ title: 'expense receipts' });
    assert.equal((await say('delete the expense one')).intent, 'clarify');
    const out = await say('add buy milk tomorrow');
    assert.equal(out.intent, 'create');
    assert.equal(context.pending, null);
    assert.equal(ports.tasks.length, 3, 'nothing was deleted');
  });

  it('forgets a question after 15 minutes', async () => {
    await ports.create({ title: 'expense report' });
    await ports.create({ title: 'expense receipts' });
    await say('delete the expense one');
    const later = new Date(NOW.getTime() + 16 * 60_000);
    const out = await say('2', later);
    assert.notEqual(out.intent, 'delete');
    assert.equal(ports.tasks.length, 2);
  });

  it('"both" applies the action to every candidate', async () => {
    await ports.create({ title: 'expense report' });
    await ports.create({ title: 'expense receipts' });
    await say('complete the expense one');
    const out = await say('both');
    assert.equal(out.intent, 'complete');
    assert.deepEqual(ports.tasks.map((t) => t.status), ['completed', 'completed']);
  });

  it('completing a recurring task says when the next one is due and mentions both', async () => {
    await say('add standup every weekday at 9am');
    const out = await say('done');
    assert.equal(out.intent, 'complete');
    assert.match(out.reply, /Next one is due Mon, Nov 30 at 9:00 AM/);
    assert.equal(out.tasks.length, 2);
    assert.deepEqual(context.lastMentioned, out.tasks.map((t) => t.id));
  });

  it('a reminder before a task without a due time asks for the due time instead of failing', async () => {
    await ports.create({ title: 'grant application' });
    const out = await say('remind me about the grant application 1 hour before');
    assert.equal(out.intent, 'clarify');
    assert.match(out.reply, /has no due time/);
    assert.deepEqual(ports.tasks[0].reminders, []);
  });

  it('removing the due date of a recurring task ends the repetition (a series needs a due)', async () => {
    await say('add pay rent on the 1st of every month at 9am');
    const out = await say('remove the due date from pay rent');
    assert.equal(out.intent, 'update');
    assert.equal(ports.tasks[0].due, null);
    assert.equal(ports.tasks[0].recurrence, null);
  });

  it('tags are added to the task\'s tags, never replace them', async () => {
    await ports.create({ title: 'report', tags: ['work'] });
    await say('tag the report with q4');
    assert.deepEqual(ports.tasks[0].tags, ['work', 'q4']);
  });

  it('help keeps what "it" refers to', async () => {
    await say('add buy stamps');
    const before = context.lastMentioned;
    assert.equal((await say('help')).intent, 'help');
    assert.deepEqual(context.lastMentioned, before);
    assert.equal((await say('mark it done')).intent, 'complete');
  });

  it('a statement without a command is offered, and created only on "yes"', async () => {
    const q = await say('buy milk');
    assert.equal(q.intent, 'clarify');
    assert.equal(ports.tasks.length, 0);
    assert.equal((await say('yes')).intent, 'create');
    assert.deepEqual(ports.tasks.map((t) => t.title), ['buy milk']);
  });

  it('"did my reminder go out?" answers with the latest email of each reminder: sent, failed with its reason, or still being tried', async () => {
    assert.match((await say('did my reminder go out?')).reply, /No reminder of yours has gone off yet/);
    await say('add pay rent tomorrow at 9am');
    await say('add call the bank tomorrow at 10am');
    const [rent, bank] = ports.tasks;
    ports.reports.push(
      { taskId: bank.id, reminderId: 'r', title: 'call the bank', status: 'failed', at: '2026-11-23T09:55:00.000Z', reason: 'refused by the SMTP server: 550 Mailbox unavailable', attempts: 1 },
      { taskId: rent.id, reminderId: 'r', title: 'pay rent', status: 'sent', at: '2026-11-23T09:30:00.000Z', reason: null, attempts: 1 },
    );
    const all = await say('did my reminders go out?');
    assert.equal(all.intent, 'delivery');
    assert.match(all.reply, /“call the bank”: the reminder email could not be delivered \(refused by the SMTP server: 550 Mailbox unavailable\)/);
    assert.match(all.reply, /“pay rent”: the reminder email went out today at 10:30 AM/);
    assert.match(all.reply, /can be sent again by an operator/);
    assert.deepEqual(all.tasks.map((t) => t.id).sort(), [rent.id, bank.id].sort());
    const one = await say('was the reminder for rent sent?');
    assert.equal(one.reply, '“pay rent”: the reminder email went out today at 10:30 AM.');
    ports.reports.unshift({ taskId: rent.id, reminderId: 'r2', title: 'pay rent', status: 'pending', at: '2026-11-23T09:59:00.000Z', reason: '451 try again later', attempts: 2 });
    assert.match((await say('did the reminder for it go out?')).reply, /2 tries failed \(451 try again later\); it is tried again/);
  });
});
