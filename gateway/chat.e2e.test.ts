/**
 * POST /v1/chat on the real stack: the issue's own utterances, the clarify flow and its answers,
 * context kept in the user's actor state (Dapr), and garbled input that never creates a task.
 * The whole corpus goes through the stack in chatCorpus.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { httpRequest } from '../common/httpClient';
import type { Task } from '../common/tasks/task';
import { sidecars } from '../stack/services';
import { api, sidecarHeaders, tokenFor, uniqueUser, type ApiResponse } from '../stack/testSupport';

const ZONE = 'Europe/Berlin';

async function chat(token: string, message: string, headers: Record<string, string> = { 'X-Timezone': ZONE }) {
  const res = await api('POST', '/v1/chat', { token, body: { message }, headers });
  assert.equal(res.status, 200, `${message}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { reply: string; intent: string; tasks: Task[] };
}

/** A request of this test's user, waiting out the per-user rate limit (429 + Retry-After) instead of failing on it. */
async function waitingOutRateLimit(request: () => Promise<ApiResponse>): Promise<ApiResponse> {
  for (;;) {
    const res = await request();
    if (res.status !== 429) return res;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

/** POST /v1/chat, waiting out the rate limit: the garbled-input test sends hundreds in a row. */
function postChat(token: string, message: string) {
  return waitingOutRateLimit(() => api('POST', '/v1/chat', { token, body: { message } }));
}

/** The user's tasks; after a long run of messages the list, too, may meet the rate limit. */
async function tasksOf(token: string, query = ''): Promise<Task[]> {
  const res = await waitingOutRateLimit(() => api('GET', `/v1/tasks?limit=500${query}`, { token }));
  assert.equal(res.status, 200);
  return res.body.items;
}

/** The wall-clock time of an instant in a zone, "HH:MM". */
const localTime = (iso: string | null, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso ?? Number.NaN));
const localDay = (iso: string | null, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric' }).format(new Date(iso ?? Number.NaN));
const localWeekday = (iso: string | null, zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long' }).format(new Date(iso ?? Number.NaN));

describe('chat (POST /v1/chat)', function () {
  this.timeout(60_000);

  it('creates a monthly reminder from plain English, due on the 1st at 09:00 in the user\'s zone, and says so in that zone', async () => {
    const token = await tokenFor(uniqueUser('chat-rent'));
    const out = await chat(token, 'remind me to pay rent on the 1st of every month at 9am');
    assert.equal(out.intent, 'create');
    assert.equal(out.tasks.length, 1);
    const [stored] = await tasksOf(token);
    assert.equal(stored.title, 'pay rent');
    assert.deepEqual(stored.recurrence, { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' });
    assert.equal(stored.timezone, ZONE);
    assert.equal(localTime(stored.due, ZONE), '09:00');
    assert.equal(localDay(stored.due, ZONE), '1');
    assert.equal(stored.reminders.length, 1, 'a reminder at the due time');
    assert.match(out.reply, /pay rent/);
    assert.match(out.reply, /9:00 AM/, 'the due time is written in the user\'s zone');
    assert.match(out.reply, /every month on the 1st/);
  });

  it('adds a task with tags and priority, then "mark it as done" completes that task through the context', async () => {
    const token = await tokenFor(uniqueUser('chat-it'));
    const added = await chat(token, 'add buy milk tomorrow at 5pm #errands p2');
    assert.equal(added.intent, 'create');
    const [t] = await tasksOf(token);
    assert.equal(t.title, 'buy milk');
    assert.equal(t.priority, 'high');
    assert.deepEqual(t.tags, ['errands']);
    assert.equal(localTime(t.due, ZONE), '17:00');
    assert.match(added.reply, /tomorrow at 5:00 PM/);

    const done = await chat(token, 'mark it as done');
    assert.equal(done.intent, 'complete');
    assert.equal(done.tasks[0].id, t.id);
    const after = await api('GET', `/v1/tasks/${t.id}`, { token });
    assert.equal(after.body.status, 'completed');
  });

  it('keeps the conversation\'s context in the user\'s Dapr actor state', async () => {
    const user = uniqueUser('chat-state');
    const token = await tokenFor(user);
    const added = await chat(token, 'add water the plants tomorrow');
    const res = await httpRequest({ port: sidecars().actors.httpPort, method: 'GET', path: `/v1.0/actors/UserActor/${encodeURIComponent(user)}/state/chat`, timeoutMs: 5000, headers: sidecarHeaders('actors') });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body).lastMentioned, [added.tasks[0].id]);
  });

  it('asks which task when a reference matches several, names them, changes nothing, and takes "the second one" as the answer', async () => {
    const token = await tokenFor(uniqueUser('chat-clarify'));
    await chat(token, 'add submit expense report friday');
    await chat(token, 'add expense receipts for travel');
    const q = await chat(token, 'mark the expense one as done');
    assert.equal(q.intent, 'clarify');
    assert.match(q.reply, /submit expense report/);
    assert.match(q.reply, /expense receipts for travel/);
    assert.equal((await tasksOf(token, '&status=completed')).length, 0, 'a question changes nothing');

    const second = /2\. “([^”]+)”/.exec(q.reply)?.[1];
    assert.ok(second, q.reply);
    const a = await chat(token, 'the second one');
    assert.equal(a.intent, 'complete');
    const completed = await tasksOf(token, '&status=completed');
    assert.deepEqual(completed.map((t) => t.title), [second]);
  });

  it('a reference that matches nothing asks, naming open tasks, and an answer by title works', async () => {
    const token = await tokenFor(uniqueUser('chat-none'));
    await chat(token, 'add call the plumber tomorrow');
    const q = await chat(token, 'delete the dentist appointment');
    assert.equal(q.intent, 'clarify');
    assert.match(q.reply, /couldn't find a task matching “dentist appointment”/);
    assert.match(q.reply, /call the plumber/);
    assert.equal((await tasksOf(token)).length, 1);
    const a = await chat(token, 'the plumber one');
    assert.equal(a.intent, 'delete');
    assert.equal((await tasksOf(token)).length, 0);
  });

  it('moves a task, lists by priority and overdue, reopens, deletes and adds a reminder 1 hour before', async () => {
    const token = await tokenFor(uniqueUser('chat-flow'));
    await chat(token, 'add dentist appointment tomorrow at 10am');
    await chat(token, 'add grant application friday at 5pm p1');
    await chat(token, 'add buy stamps');

    const moved = await chat(token, 'move the dentist appointment to friday at 3pm');
    assert.equal(moved.intent, 'update');
    const dentist = (await tasksOf(token, '&q=dentist'))[0];
    assert.equal(localTime(dentist.due, ZONE), '15:00');
    assert.equal(localWeekday(dentist.due, ZONE), 'Friday');

    const urgent = await chat(token, 'show my urgent tasks');
    assert.equal(urgent.intent, 'list');
    assert.deepEqual(urgent.tasks.map((t) => t.title), ['grant application']);

    const overdue = await chat(token, "what's overdue?");
    assert.equal(overdue.intent, 'list');
    assert.deepEqual(overdue.tasks, []);

    const remind = await chat(token, 'remind me about the grant application 1 hour before');
    assert.equal(remind.intent, 'remind');
    const grant = (await tasksOf(token, '&q=grant'))[0];
    assert.deepEqual(grant.reminders.map((r) => ('before' in r ? r.before : undefined)), ['PT1H']);

    assert.equal((await chat(token, 'mark buy stamps as done')).intent, 'complete');
    const reopened = await chat(token, 'reopen buy stamps');
    assert.equal(reopened.intent, 'reopen');
    assert.equal((await tasksOf(token, '&q=stamps'))[0].status, 'open');

    const del = await chat(token, 'delete buy stamps');
    assert.equal(del.intent, 'delete');
    assert.equal((await tasksOf(token, '&q=stamps')).length, 0);

    assert.equal((await chat(token, 'help')).intent, 'help');
  });

  it('offers to add a bare statement and creates it only after "yes"', async () => {
    const token = await tokenFor(uniqueUser('chat-offer'));
    const q = await chat(token, 'buy milk');
    assert.equal(q.intent, 'clarify');
    assert.equal((await tasksOf(token)).length, 0);
    const no = await chat(token, 'no');
    assert.notEqual(no.intent, 'create');
    assert.equal((await tasksOf(token)).length, 0);
    await chat(token, 'buy bread');
    const yes = await chat(token, 'yes');
    assert.equal(yes.intent, 'create');
    assert.deepEqual((await tasksOf(token)).map((t) => t.title), ['buy bread']);
  });

  it('answers garbled or hostile input with help or clarify: never a 5xx, never a task', async () => {
    const token = await tokenFor(uniqueUser('chat-garbage'));
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'bcdfghjklmnpqrstvwxz   .,;:!?()[]{}<>/\\|*&^%$@~`"\'éß漢字🙂\u0000\u200b\n\t';
    const messages = ['', ' ', '???', '<script>alert(1)</script>', "'; DROP TABLE tasks; --", '{"message": 1}', 'x'.repeat(1000), '\u0000\u0001'];
    for (let i = 0; i < 150; i++) messages.push(Array.from({ length: 1 + Math.floor(rand() * 60) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
    for (const message of messages) {
      const res = await postChat(token, message);
      assert.equal(res.status, 200, `${JSON.stringify(message)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(['help', 'clarify'].includes(res.body.intent), `${JSON.stringify(message)} → ${res.body.intent}`);
      // A clarify may offer to add the words as a task: say no, so the next message starts afresh.
      if (res.body.intent === 'clarify') await postChat(token, 'no');
    }
    assert.equal((await tasksOf(token)).length, 0, 'no task was created by accident');
  });

  it('refuses a body without a message, or one over 1,000 characters, with a 400 naming the field', async () => {
    const token = await tokenFor(uniqueUser('chat-bad'));
    for (const body of [{}, { message: 42 }, [], { message: 'y'.repeat(1001) }]) {
      const res = await api('POST', '/v1/chat', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.error.details.some((d: { field: string }) => d.field === 'message' || d.field === '(body)'), JSON.stringify(res.body));
    }
    assert.equal((await api('POST', '/v1/chat', { body: { message: 'help' } })).status, 401);
  });

  it('returns the same task for a retried message with the same Idempotency-Key', async () => {
    const token = await tokenFor(uniqueUser('chat-idem'));
    const headers = { 'X-Timezone': ZONE, 'Idempotency-Key': 'chat-1' };
    const a = await chat(token, 'add renew passport next friday', headers);
    const b = await chat(token, 'add renew passport next friday', headers);
    assert.equal(a.tasks[0].id, b.tasks[0].id);
    assert.equal((await tasksOf(token)).length, 1);
  });
});
