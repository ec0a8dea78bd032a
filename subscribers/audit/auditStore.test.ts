import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from './auditStore';

describe('audit cursors', () => {
  it('round-trip the position they encode', () => {
    const c = { time: '2026-11-23T10:00:00.123Z', eventId: randomUUID() };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  });

  it('refuse anything this API did not make', () => {
    for (const bad of ['', 'abc', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","y"]').toString('base64url'),
      Buffer.from(JSON.stringify(['2026-11-23T10:00:00Z', "'; DROP TABLE audit_log; --"])).toString('base64url')]) {
      assert.equal(decodeCursor(bad), undefined, bad);
    }
  });
});
