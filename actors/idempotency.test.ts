import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, requestHash, reusedWithAnotherRequest } from './idempotency';

describe('an Idempotency-Key is bound to a hash of its request', () => {
  it('bodies equal as JSON hash alike whatever their key order; any other body hashes differently', () => {
    assert.equal(requestHash('createTask', { title: 'a', tags: ['x'], priority: 'high' }), requestHash('createTask', { priority: 'high', tags: ['x'], title: 'a' }));
    assert.notEqual(requestHash('createTask', { title: 'a' }), requestHash('createTask', { title: 'b' }));
    assert.notEqual(requestHash('createTask', { tags: ['x', 'y'] }), requestHash('createTask', { tags: ['y', 'x'] }), 'array order matters');
    assert.notEqual(requestHash('createTask', { message: 'a' }), requestHash('chat', { message: 'a' }), 'a REST create is not a chat message');
  });

  it('canonical JSON parses back to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      assert.deepEqual(JSON.parse(canonicalJson(v)), JSON.parse(JSON.stringify(v)));
    }));
  });

  it('a key recorded with another hash is reused; one recorded before hashes were kept is not', () => {
    assert.equal(reusedWithAnotherRequest('a', 'b'), true);
    assert.equal(reusedWithAnotherRequest('a', 'a'), false);
    assert.equal(reusedWithAnotherRequest(null, 'a'), false);
  });
});
