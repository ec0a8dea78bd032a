import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { CLOSE_TOO_SLOW, MAX_BUFFERED_BYTES, StreamHub } from './streamHub';
import type { StreamEvent } from './replayPlan';

/** The part of a ws WebSocket the hub uses, recording what it was sent. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Array<{ type?: string; eventId?: string }> = [];
  closedWith: number | undefined;
  send(json: string) {
    this.sent.push(JSON.parse(json));
  }
  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate() {
    this.readyState = 3;
  }
}

const ev = (id: string, seq: number | null): StreamEvent => ({ json: JSON.stringify({ eventId: id, type: 'task.created' }), eventId: id, seq: seq === null ? null : String(seq) });
const socket = () => new FakeSocket();
const as = (s: FakeSocket) => s as unknown as WebSocket;
const received = (s: FakeSocket) => s.sent.map((m) => m.eventId ?? m.type);

describe('stream hub', () => {
  it('sends each event to every socket of its user and to no one else', () => {
    const hub = new StreamHub();
    const [a1, a2, b] = [socket(), socket(), socket()];
    hub.add('a', as(a1));
    hub.add('a', as(a2));
    hub.add('b', as(b));
    assert.equal(hub.publish('a', ev('e1', 1)), 2);
    assert.deepEqual(received(a1), ['e1']);
    assert.deepEqual(received(a2), ['e1']);
    assert.deepEqual(b.sent, []);
  });

  it('remembers the last position it passed on per user', () => {
    const hub = new StreamHub();
    assert.equal(hub.lastPosition('a'), undefined);
    hub.publish('a', ev('e1', 5));
    hub.publish('a', ev('e2', null));
    assert.equal(hub.lastPosition('a'), '5');
  });

  it('holds live events during a replay, then sends missed + held in order, then stream.replayed, then live without duplicates', () => {
    const hub = new StreamHub();
    const s = socket();
    const device = hub.add('a', as(s), true);
    hub.publish('a', ev('e12', 12)); // arrives while the replay is fetched, and is in the audit too
    hub.publish('a', ev('e13', 13));
    assert.deepEqual(s.sent, [], 'nothing before the replay');
    hub.finishReplay(device, { status: 'ok', anchorSeq: '10', items: [ev('e11', 11), ev('e12', 12)] });
    assert.deepEqual(received(s), ['e11', 'e12', 'e13', 'stream.replayed']);
    assert.deepEqual(s.sent[3], { type: 'stream.replayed', count: 3, lastEventId: 'e13' });
    hub.publish('a', ev('e12', 12)); // a late live copy of a replayed event
    hub.publish('a', ev('e9', 9)); // at or before the anchor: the device had it
    hub.publish('a', ev('e14', 14));
    assert.deepEqual(received(s).slice(4), ['e14']);
  });

  it('tells the device to resync when the replay cannot be served, then sends what arrived meanwhile', () => {
    const hub = new StreamHub();
    const s = socket();
    const device = hub.add('a', as(s), true);
    hub.publish('a', ev('e1', 1));
    hub.finishReplay(device, { status: 'unknown_event', message: 'no such event' });
    assert.deepEqual(s.sent[0], { type: 'stream.resync', reason: 'unknown_event', message: 'no such event' });
    assert.deepEqual(received(s).slice(1), ['e1']);
    hub.publish('a', ev('e2', 2));
    assert.deepEqual(received(s).slice(2), ['e2']);
  });

  it('drops a socket that does not keep up, and one whose held events pass the limit', () => {
    const hub = new StreamHub();
    const slow = socket();
    slow.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    hub.add('a', as(slow));
    assert.equal(hub.publish('a', ev('e1', 1)), 0);
    assert.equal(slow.closedWith, CLOSE_TOO_SLOW);
    const replaying = socket();
    hub.add('b', as(replaying), true);
    const big: StreamEvent = { json: 'x'.repeat(MAX_BUFFERED_BYTES / 4), eventId: 'big', seq: '1' };
    for (let i = 0; i < 5; i++) hub.publish('b', big);
    assert.equal(replaying.closedWith, CLOSE_TOO_SLOW);
    assert.equal(hub.connections, 0);
  });
});
