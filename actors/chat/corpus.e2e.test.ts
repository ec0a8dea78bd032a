/**
 * The whole chat corpus (parser/corpus.json, 250+ utterances) through the real stack: each message
 * goes to POST /v1/chat as its own user, then the tasks are read back through REST and compared with
 * what the message means.
 *
 * The corpus's expected parses are pinned to a fixed "now" (parser/corpus.test.ts checks them).
 * The stack runs on the real clock, so here the expectation is the parse of the same text at the
 * moment of the call, and this test checks that the endpoint does exactly what that parse says:
 * the task created, the filter listed, the task changed, completed, reopened or deleted.
 */
import assert from 'node:assert/strict';
import corpusFile from './parser/corpus.json';
import { parseMessage, type ParsedIntent, type TaskRef } from './parser';
import { api, inParallel, tokenFor, uniqueUser } from '../../stack/testSupport';
import type { Task } from '../../common/tasks/task';
import { reminderTimes } from '../../common/recurrence/reminderTimes';
import { REMINDER_PAST_GRACE_MS } from '../taskRules';

interface Case {
  text: string;
  timezone?: string;
  expect: { intent: string };
}

const corpus = corpusFile as unknown as { defaults: { timezone: string }; cases: Case[] };
/** Instants that depend on "now" ("in 2 hours") may move by the time between the two parses. */
const SLACK_MS = 120_000;
const PARALLEL = 6;


async function call(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) {
  for (;;) {
    const res = await api(method, path, { token, body, headers });
    if (res.status !== 429) return res;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function sameInstant(actual: string | null, expected: string | null, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, what);
    return;
  }
  assert.ok(Math.abs(Date.parse(actual) - Date.parse(expected)) <= SLACK_MS, `${what}: ${actual} is not ${expected}`);
}

function sameReminders(actual: Array<{ before?: string; at?: string }>, expected: Array<{ before?: string; at?: string }>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  expected.forEach((e, i) => {
    if (e.before !== undefined) assert.equal(actual[i].before, e.before, what);
    else sameInstant(actual[i].at ?? null, e.at as string, what);
  });
}

/** Far enough ahead that every `before` reminder of the corpus (at most P2D) is still to come: one already past is refused (taskRules' past-reminder rule). */
const dueAhead = () => new Date(Date.now() + 3 * 24 * 3600_000 + 2 * 3600_000).toISOString();

/** Seeds the task a reference names, so the message has something to act on. */
async function seed(token: string, p: Extract<ParsedIntent, { ref: TaskRef }>, zone: string): Promise<Task> {
  const headers = { 'X-Timezone': zone };
  const title = p.ref.kind === 'text' ? p.ref.text : 'the task just mentioned';
  const body = { title, due: dueAhead(), reminders: [{ before: 'PT5M' }] };
  let task: Task;
  if (p.ref.kind === 'pronoun') {
    // "it" is the task the last reply was about: create it through the chat itself.
    const r = await call('POST', '/v1/chat', token, { message: `add "${title}"` }, headers);
    assert.equal(r.body.intent, 'create', JSON.stringify(r.body));
    task = (await call('PATCH', `/v1/tasks/${r.body.tasks[0].id}`, token, { due: body.due, reminders: body.reminders })).body;
  } else {
    task = (await call('POST', '/v1/tasks', token, body, headers)).body;
  }
  if (p.intent === 'reopen') task = (await call('POST', `/v1/tasks/${task.id}/complete`, token)).body.task;
  return task;
}

/** The list the REST API gives for the filter the message means, sorted as the chat sorts. */
function restQuery(f: Extract<ParsedIntent, { intent: 'list' }>['filter']): string {
  const q = new URLSearchParams({ limit: '20', sort: 'due', order: 'asc' });
  if (f.status) q.set('status', f.status);
  if (f.priority) q.set('priority', f.priority);
  for (const t of f.tags ?? []) q.append('tag', t);
  if (f.q) q.set('q', f.q);
  if (f.overdue) q.set('overdue', 'true');
  if (f.dueBefore) q.set('dueBefore', f.dueBefore);
  if (f.dueAfter) q.set('dueAfter', f.dueAfter);
  return q.toString();
}

async function runCase(c: Case): Promise<void> {
  const zone = c.timezone ?? corpus.defaults.timezone;
  const headers = { 'X-Timezone': zone };
  const token = await tokenFor(uniqueUser('corpus'));
  const what = `"${c.text}" (${zone})`;
  const plan = parseMessage(c.text, { now: new Date(), timezone: zone });
  assert.equal(plan.intent, c.expect.intent, `${what}: the parser's intent changed`);

  let seeded: Task | undefined;
  if (plan.intent === 'list') {
    // Something to find: due soon and high priority with tags, overdue, completed, and without a due.
    await call('POST', '/v1/tasks', token, { title: 'report q4', priority: 'high', tags: ['work'], due: dueAhead() }, headers);
    await call('POST', '/v1/tasks', token, { title: 'buy milk', due: new Date(Date.now() - 3600_000).toISOString() }, headers);
    const old = (await call('POST', '/v1/tasks', token, { title: 'old idea', priority: 'low' }, headers)).body;
    await call('POST', `/v1/tasks/${old.id}/complete`, token);
  } else if ('ref' in plan && plan.intent !== 'delivery') {
    seeded = await seed(token, plan, zone);
  }

  const res = await call('POST', '/v1/chat', token, { message: c.text }, headers);
  assert.equal(res.status, 200, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  const out = res.body as { intent: string; reply: string; tasks: Task[] };
  const tasks = async () => (await call('GET', '/v1/tasks?limit=500', token)).body.items as Task[];

  switch (plan.intent) {
    case 'create': {
      // Said at a moment when one of its reminders has passed (say "1 day before" a due time less
      // than a day away): the task is refused, naming the reminder, as the REST API refuses it.
      if (remindersAlreadyPast(plan)) {
        assert.match(out.reply, /in the past/, `${what}: ${out.reply}`);
        assert.equal((await tasks()).length, 0, `${what}: created a task whose reminder has passed`);
        break;
      }
      assert.equal(out.intent, 'create', `${what}: ${out.reply}`);
      const all = await tasks();
      assert.equal(all.length, 1, what);
      const t = all[0];
      assert.equal(t.title, plan.title, what);
      sameInstant(t.due, plan.due, `${what}: due`);
      assert.equal(t.timezone, zone, what);
      assert.equal(t.priority, plan.priority ?? 'none', what);
      assert.deepEqual(t.tags, plan.tags ?? [], what);
      assert.deepEqual(t.recurrence, plan.recurrence ?? null, what);
      sameReminders(t.reminders, plan.reminders ?? [], `${what}: reminders`);
      assert.deepEqual(out.tasks.map((x) => x.id), [t.id], what);
      break;
    }
    case 'list': {
      assert.equal(out.intent, 'list', `${what}: ${out.reply}`);
      const rest = (await call('GET', `/v1/tasks?${restQuery(plan.filter)}`, token)).body.items as Task[];
      assert.deepEqual(out.tasks.map((x) => x.title), rest.map((x) => x.title), what);
      break;
    }
    case 'complete':
    case 'reopen':
    case 'delete': {
      assert.equal(out.intent, plan.intent, `${what}: ${out.reply}`);
      const after = await call('GET', `/v1/tasks/${seeded?.id}`, token);
      if (plan.intent === 'delete') assert.equal(after.status, 404, what);
      else assert.equal(after.body.status, plan.intent === 'complete' ? 'completed' : 'open', what);
      break;
    }
    case 'update': {
      assert.equal(out.intent, 'update', `${what}: ${out.reply}`);
      const t = (await call('GET', `/v1/tasks/${seeded?.id}`, token)).body;
      const ch = plan.changes;
      if (ch.title !== undefined) assert.equal(t.title, ch.title, what);
      if (ch.due !== undefined) sameInstant(t.due, ch.due, `${what}: due`);
      if (ch.priority !== undefined) assert.equal(t.priority, ch.priority, what);
      if (ch.tags) assert.deepEqual(t.tags, ch.tags, what);
      if (ch.reminders) sameReminders(t.reminders, ch.reminders, `${what}: reminders`);
      break;
    }
    case 'remind': {
      assert.equal(out.intent, 'remind', `${what}: ${out.reply}`);
      const t = (await call('GET', `/v1/tasks/${seeded?.id}`, token)).body;
      sameReminders(t.reminders, [{ before: 'PT5M' }, ...plan.reminders], `${what}: reminders`);
      break;
    }
    case 'help':
      assert.equal(out.intent, 'help', what);
      break;
    case 'delivery':
      // A new user has no reminder that went off: the answer says so, or asks which task is meant.
      assert.ok(plan.ref === null ? out.intent === 'delivery' : ['delivery', 'clarify'].includes(out.intent), `${what}: ${out.intent} ${out.reply}`);
      assert.equal((await tasks()).length, 0, `${what}: created a task`);
      break;
    case 'unknown':
      assert.ok(['help', 'clarify'].includes(out.intent), `${what}: ${out.intent}`);
      assert.equal((await tasks()).length, 0, `${what}: created a task`);
      break;
  }
}

/** Whether a create's reminders include one that would fire more than the grace period ago, now. */
function remindersAlreadyPast(plan: Extract<ParsedIntent, { intent: 'create' }>): boolean {
  if (!plan.due || !plan.reminders) return false; // the chat's reminders are all `before` a due time
  const fires = reminderTimes({ due: new Date(plan.due), zone: plan.timezone, reminders: plan.reminders.map((r, i) => ({ id: `r${i}`, before: r.before })) });
  return fires.some((f) => f.fireAt.getTime() < Date.now() - REMINDER_PAST_GRACE_MS);
}

describe('the chat corpus through the real stack (POST /v1/chat, then REST)', function () {
  this.timeout(600_000);

  it(`does what each of the ${corpus.cases.length} utterances means`, async () => {
    assert.ok(corpus.cases.length >= 150, 'the issue asks for at least 150 utterances');
    const failures: string[] = [];
    await inParallel(corpus.cases, PARALLEL, async (c) => {
      try {
        await runCase(c);
      } catch (err) {
        failures.push(err instanceof Error ? err.message.split('\n')[0] : String(err));
      }
    });
    assert.deepEqual(failures, [], `${failures.length} of ${corpus.cases.length} utterances failed:\n${failures.join('\n')}`);
  });
});
