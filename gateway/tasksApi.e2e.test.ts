/** The task REST API on the real stack: every call, list filters and paging, versions, isolation. */
import assert from 'node:assert/strict';
import { sidecars } from '../stack/services';
import { api, sidecarHeaders, tokenFor, uniqueUser, type ApiResponse } from '../stack/testSupport';

/** An actor method's answer through Dapr, as loosely as the test of another service's call reads it. */
type ActorReply = { ok: boolean; task: { id: string }; items: Array<{ id: string }>; error: { status: number; details: Array<{ field: string }> } };

async function newUser(prefix: string) {
  const id = uniqueUser(prefix);
  return { id, token: await tokenFor(id, `${id}@example.com`) };
}

describe('tasks REST API', function () {
  this.timeout(60_000);

  it('creates with defaults and the caller\'s zone, then gets, patches, completes, reopens and deletes', async () => {
    const u = await newUser('crud');
    const created = await api('POST', '/v1/tasks', { token: u.token, body: { title: '  Water the plants  ' }, headers: { 'x-timezone': 'Europe/Berlin' } });
    assert.equal(created.status, 201);
    const t = created.body;
    assert.equal(t.title, 'Water the plants');
    assert.equal(t.timezone, 'Europe/Berlin');
    assert.equal(t.priority, 'none');
    assert.deepEqual(t.tags, []);
    assert.equal(created.headers.get('etag'), '"1"');

    const patched = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { priority: 'high', tags: ['home'] }, headers: { 'if-match': '"1"' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.version, 2);
    assert.equal(patched.body.priority, 'high');

    const stale = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { title: 'late' }, headers: { 'if-match': '1' } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');

    const same = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { priority: 'high' } });
    assert.equal(same.body.version, 2, 'a patch that changes nothing does not bump the version');

    const done = await api('POST', `/v1/tasks/${t.id}/complete`, { token: u.token });
    assert.equal(done.status, 200);
    assert.equal(done.body.task.status, 'completed');
    assert.ok(done.body.task.completedAt);
    assert.equal(done.body.next, null);
    const again = await api('POST', `/v1/tasks/${t.id}/complete`, { token: u.token });
    assert.equal(again.body.task.version, done.body.task.version, 'completing twice changes nothing');

    const reopened = await api('POST', `/v1/tasks/${t.id}/reopen`, { token: u.token });
    assert.equal(reopened.body.status, 'open');
    assert.equal(reopened.body.completedAt, null);

    const del = await api('DELETE', `/v1/tasks/${t.id}`, { token: u.token });
    assert.equal(del.status, 204);
    assert.equal((await api('GET', `/v1/tasks/${t.id}`, { token: u.token })).status, 404);
    assert.equal((await api('DELETE', `/v1/tasks/${t.id}`, { token: u.token })).status, 404);
  });

  it('an Idempotency-Key whose task was deleted creates a new task (not a 500)', async () => {
    const u = await newUser('idem');
    const headers = { 'idempotency-key': 'same-key' };
    const first = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'once' }, headers });
    assert.equal((await api('DELETE', `/v1/tasks/${first.body.id}`, { token: u.token })).status, 204);
    const again = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'once' }, headers });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.notEqual(again.body.id, first.body.id);
    const repeat = await api('POST', '/v1/tasks', { token: u.token, body: { title: 'once' }, headers });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.id, again.body.id, 'the key now names the new task');
  });

  it('refuses to patch status, unknown fields, and a recurring task without a due time', async () => {
    const u = await newUser('patch');
    const t = (await api('POST', '/v1/tasks', { token: u.token, body: { title: 'x' } })).body;
    const status = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { status: 'completed' } });
    assert.equal(status.status, 400);
    assert.equal(status.body.error.details[0].field, 'status');
    const unknown = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { colour: 'red' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].field, 'colour');
    const empty = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: {} });
    assert.equal(empty.status, 400);
    const rec = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { recurrence: { rule: 'FREQ=DAILY' } } });
    assert.equal(rec.status, 400);
    assert.equal(rec.body.error.details[0].field, 'due');
    const badIfMatch = await api('PATCH', `/v1/tasks/${t.id}`, { token: u.token, body: { title: 'y' }, headers: { 'if-match': 'banana' } });
    assert.equal(badIfMatch.status, 400);
  });

  it('lists with filters: status, priority, tags, text, due window, overdue', async () => {
    const u = await newUser('filters');
    const mk = (body: object) => api('POST', '/v1/tasks', { token: u.token, body }).then((r) => r.body);
    const a = await mk({ title: 'Pay rent', priority: 'urgent', tags: ['home', 'money'], due: '2020-01-01T09:00:00Z' });
    const b = await mk({ title: 'Buy milk', priority: 'low', tags: ['errands'], description: 'the oat one', due: '2099-01-01T09:00:00Z' });
    const c = await mk({ title: 'Read 100% of the book', tags: ['home'] });
    await api('POST', `/v1/tasks/${c.id}/complete`, { token: u.token });
    const ids = async (qs: string) => {
      const r = await api('GET', `/v1/tasks?${qs}`, { token: u.token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.map((t: { id: string }) => t.id).sort();
    };
    assert.deepEqual(await ids(''), [a.id, b.id, c.id].sort());
    assert.deepEqual(await ids('status=completed'), [c.id]);
    assert.deepEqual(await ids('priority=urgent'), [a.id]);
    assert.deepEqual(await ids('tag=home'), [a.id, c.id].sort());
    assert.deepEqual(await ids('tag=home&tag=money'), [a.id]);
    assert.deepEqual(await ids('q=OAT'), [b.id], 'q searches the description, case-insensitively');
    assert.deepEqual(await ids('q=errand'), [b.id], 'q searches tags');
    assert.deepEqual(await ids('q=100%25'), [c.id], '% is a literal character in q');
    assert.deepEqual(await ids('q=%25'), [c.id]);
    assert.deepEqual(await ids('overdue=true'), [a.id]);
    assert.deepEqual(await ids('dueAfter=2021-01-01T00:00:00Z'), [b.id]);
    assert.deepEqual(await ids('dueBefore=2021-01-01T00:00:00Z'), [a.id]);
    const bad = await api('GET', '/v1/tasks?sort=colour&limit=0&overdue=maybe&dueBefore=tomorrow&status=x&bogus=1', { token: u.token });
    assert.equal(bad.status, 400);
    assert.deepEqual(new Set(bad.body.error.details.map((d: { field: string }) => d.field)),
      new Set(['sort', 'limit', 'overdue', 'dueBefore', 'status', 'bogus']));
  });

  it('sorts by every field both ways, and walking the cursors returns every task exactly once while tasks are added', async () => {
    const u = await newUser('paging');
    const priorities = ['none', 'low', 'medium', 'high', 'urgent'];
    for (let i = 0; i < 23; i++) {
      await api('POST', '/v1/tasks', { token: u.token, body: { title: `task ${String.fromCharCode(97 + (i * 7) % 26)}${i}`, priority: priorities[i % 5], ...(i % 4 ? { due: new Date(Date.UTC(2026, 0, 1 + (i % 6))).toISOString() } : {}) } });
    }
    for (const sort of ['due', 'priority', 'createdAt', 'updatedAt', 'title']) {
      for (const order of ['asc', 'desc']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let extra = 0;
        do {
          const page: ApiResponse<{ items: Array<{ id: string }>; nextCursor: string | null }> = await api('GET', `/v1/tasks?sort=${sort}&order=${order}&limit=5${cursor ? `&cursor=${cursor}` : ''}`, { token: u.token });
          assert.equal(page.status, 200, JSON.stringify(page.body));
          seen.push(...page.body.items.map((t: { id: string }) => t.id));
          cursor = page.body.nextCursor;
          if (extra < 2) {
            // Tasks added while walking: either before the cursor (not seen) or after it (seen once).
            await api('POST', '/v1/tasks', { token: u.token, body: { title: `added ${sort} ${order} ${extra++}` } });
          }
        } while (cursor);
        assert.equal(new Set(seen).size, seen.length, `${sort} ${order}: no task twice`);
        const all = await api('GET', `/v1/tasks?sort=${sort}&order=${order}&limit=500`, { token: u.token });
        const before = all.body.items.map((t: { id: string }) => t.id).filter((id: string) => !seen.includes(id));
        assert.ok(before.length <= 2, `${sort} ${order}: only tasks added during the walk may be missing (${before.length})`);
        const titles = all.body.items.filter((t: { title: string }) => t.title.startsWith('task ')).map((t: { id: string }) => t.id);
        for (const id of titles) assert.ok(seen.includes(id), `${sort} ${order}: every task present at the start is seen`);
      }
    }
    const wrongCursor = await api('GET', '/v1/tasks?sort=title&limit=5', { token: u.token });
    const mismatch = await api('GET', `/v1/tasks?sort=due&cursor=${wrongCursor.body.nextCursor}`, { token: u.token });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.error.details[0].field, 'cursor');
  });

  it("user B cannot read, change, complete, reopen, delete or even see user A's task, by id, by list or by search", async () => {
    const a = await newUser('alice');
    const b = await newUser('bob');
    const secret = (await api('POST', '/v1/tasks', { token: a.token, body: { title: 'Alice secret plan', tags: ['secret'] } })).body;
    for (const [method, path, body] of [
      ['GET', `/v1/tasks/${secret.id}`, undefined],
      ['PATCH', `/v1/tasks/${secret.id}`, { title: 'pwned' }],
      ['POST', `/v1/tasks/${secret.id}/complete`, undefined],
      ['POST', `/v1/tasks/${secret.id}/reopen`, undefined],
      ['DELETE', `/v1/tasks/${secret.id}`, undefined],
    ] as const) {
      const r = await api(method, path, { token: b.token, body });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    for (const qs of ['', 'q=secret', 'tag=secret', 'q=Alice', 'status=open']) {
      const r = await api('GET', `/v1/tasks?${qs}`, { token: b.token });
      assert.deepEqual(r.body.items, [], qs);
    }
    const still = await api('GET', `/v1/tasks/${secret.id}`, { token: a.token });
    assert.equal(still.body.title, 'Alice secret plan');
    assert.equal(still.body.version, 1);
  });

  it('other services can call UserActor through Dapr\'s HTTP actor API, outside the gateway', async () => {
    const user = uniqueUser('service');
    const url = (m: string) => `http://127.0.0.1:${sidecars().actors.httpPort}/v1.0/actors/UserActor/${user}/method/${m}`;
    const post = async (m: string, body: unknown) => (await fetch(url(m), { method: 'POST', headers: { 'content-type': 'application/json', ...sidecarHeaders('actors') }, body: JSON.stringify(body) })).json() as Promise<ActorReply>;
    const created = await post('createTask', { input: { title: 'from another service' } });
    assert.equal(created.ok, true);
    const listed = await post('listTasks', { query: {} });
    assert.deepEqual(listed.items.map((t: { id: string }) => t.id), [created.task.id]);
    const invalid = await post('createTask', { input: { title: 7 } });
    assert.deepEqual({ ok: invalid.ok, status: invalid.error.status, field: invalid.error.details[0].field }, { ok: false, status: 400, field: 'title' });
    const token = await tokenFor(user);
    assert.equal((await api('GET', `/v1/tasks/${created.task.id}`, { token })).body.title, 'from another service');
  });
});
