/**
 * An Idempotency-Key reused with another body (a client bug, or someone replaying a key) must not
 * silently answer the first request's result: 422 with a clear error, on the real stack; the same
 * body with the same key still answers the first task, once.
 */
import assert from 'node:assert/strict';
import { api, tokenFor, uniqueUser } from '../../stack/testSupport';

describe('attacker: an Idempotency-Key reused with another request', function () {
  this.timeout(60_000);

  it('POST /v1/tasks: the same key with another body is 422 idempotency_key_reused, and creates nothing', async () => {
    const user = uniqueUser('idem');
    const token = await tokenFor(user);
    const headers = { 'idempotency-key': 'key-1' };
    const first = await api('POST', '/v1/tasks', { token, headers, body: { title: 'Pay rent', tags: ['home'], priority: 'high' } });
    assert.equal(first.status, 201);
    const again = await api('POST', '/v1/tasks', { token, headers, body: { priority: 'high', title: 'Pay rent', tags: ['home'] } });
    assert.equal(again.status, 200, 'the same body (keys in another order) answers the first task');
    assert.equal(again.body.id, first.body.id);
    const other = await api('POST', '/v1/tasks', { token, headers, body: { title: 'Transfer 5000 to Mallory' } });
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal(other.body.error.code, 'idempotency_key_reused');
    assert.match(other.body.error.message, /already used with a different request/);
    const list = await api('GET', '/v1/tasks', { token });
    assert.deepEqual(list.body.items.map((t: { title: string }) => t.title), ['Pay rent']);
  });

  it('POST /v1/chat: the same key with another message is 422, and a key from a REST create cannot be replayed in chat', async () => {
    const user = uniqueUser('idem-chat');
    const token = await tokenFor(user);
    const first = await api('POST', '/v1/chat', { token, headers: { 'idempotency-key': 'chat-1' }, body: { message: 'add buy milk' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.intent, 'create');
    const same = await api('POST', '/v1/chat', { token, headers: { 'idempotency-key': 'chat-1' }, body: { message: 'add buy milk' } });
    assert.equal(same.body.tasks[0].id, first.body.tasks[0].id, 'a retried message answers the same task');
    const other = await api('POST', '/v1/chat', { token, headers: { 'idempotency-key': 'chat-1' }, body: { message: 'add buy bread' } });
    assert.equal(other.status, 422, JSON.stringify(other.body));
    assert.equal(other.body.error.code, 'idempotency_key_reused');
    const rest = await api('POST', '/v1/tasks', { token, headers: { 'idempotency-key': 'chat-1' }, body: { title: 'buy milk' } });
    assert.equal(rest.status, 422, 'the chat key is bound to the chat request');
  });
});
