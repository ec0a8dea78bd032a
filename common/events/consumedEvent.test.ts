import assert from 'node:assert/strict';
import { newTask } from '../../actors/taskRules';
import { buildEvent } from './envelope';
import { readEvent, seqOf } from './consumedEvent';
import { parseBatch } from '../../subscribers/consumedBatch';

describe('reading a consumed message', () => {
  const task = newTask({ title: 'x' }, 'UTC', new Date('2026-11-23T10:00:00Z'));
  const message = (value: unknown, headers: Record<string, string> = {}) => ({
    key: Buffer.from('alice'), value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), headers, offset: '7',
    timestamp: '0', attributes: 0,
  });

  it('gives the event and its position, or the dead-letter reason', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    assert.deepEqual(readEvent(Buffer.from(JSON.stringify(e))), { event: e });
    assert.match((readEvent(Buffer.from('{oops')) as { reason: string }).reason, /^not JSON: /);
    assert.match((readEvent(Buffer.from(JSON.stringify({ ...e, version: '2.0' }))) as { reason: string }).reason, /^invalid event: version unsupported major version 2\.0/);
    assert.equal(seqOf({ 'outbox-seq': Buffer.from('123') }), '123');
    assert.equal(seqOf({ 'outbox-seq': 'x1' }), null);
    assert.equal(seqOf(undefined), null);
  });

  it('in a batch: unknown majors and types go to the dead letters with their reason, newer minors through', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    const { events, dead } = parseBatch({ messages: [
      message({ ...e, version: '1.4', data: { task: { ...task, colour: 'red' } } }, { 'outbox-seq': '41' }),
      message({ ...e, eventId: '00000000-0000-4000-8000-000000000001', version: '2.0' }),
      message({ ...e, eventId: '00000000-0000-4000-8000-000000000002', type: 'task.archived' }),
      message('not json'),
    ], partition: 3, topic: 'task-events' }, 'audit');
    assert.deepEqual(events.map((x) => [x.event.version, x.offset, x.seq]), [['1.4', '7', '41']]);
    assert.deepEqual(dead.map((d) => d.reason.split(':')[0] + ': ' + d.reason.split(': ')[1]?.split(' ').slice(0, 2).join(' ')), [
      'invalid event: version unsupported', 'invalid event: type unknown', 'not JSON: Unexpected token',
    ]);
  });

  it('in a batch: a message an operator replayed for another group is skipped, one replayed for this group is marked; dead letters say where they were read', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    const { events, dead, skipped } = parseBatch({ messages: [
      message(e, { 'dlt-replay-group': 'notifications' }),
      message({ ...e, eventId: '00000000-0000-4000-8000-000000000003' }, { 'dlt-replay-group': 'audit' }),
      message('not json'),
    ], partition: 5, topic: 'task-events' }, 'audit');
    assert.equal(skipped, 1);
    assert.deepEqual(events.map((x) => [x.event.eventId, x.replayed]), [['00000000-0000-4000-8000-000000000003', true]]);
    assert.deepEqual(dead.map((d) => [d.sourceTopic, d.partition, d.offset, d.attempts, d.key?.toString()]), [['task-events', 5, '7', 1, 'alice']]);
  });

  it('in a batch of dead-letter-replays: an event and a dead letter name where the replayed message was first read, not the replay topic', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    const replay = { 'dlt-replay-group': 'audit', 'dlt-replay-id': 'task-events.dlt:2:9', 'dlt-replay-source-topic': 'task-events', 'dlt-replay-source-partition': '2', 'dlt-replay-source-offset': '41' };
    const { events, dead } = parseBatch({ messages: [
      message(e, replay),
      message('not json', { ...replay, 'dlt-replay-source-topic': 'reminders', 'dlt-replay-source-offset': 'x' }),
      message({ ...e, eventId: '00000000-0000-4000-8000-000000000004' }, { 'dlt-replay-group': 'audit' }),
    ], partition: 0, topic: 'dead-letter-replays' }, 'audit');
    assert.deepEqual(events.map((x) => [x.replayed, x.offset, x.origin]), [
      [true, '7', { sourceTopic: 'task-events', partition: 2, offset: '41' }],
      [true, '7', { sourceTopic: 'dead-letter-replays', partition: 0, offset: '7' }],
    ], 'a replay without its source headers is placed where it was read');
    assert.deepEqual(dead.map((d) => [d.sourceTopic, d.partition, d.offset]), [['reminders', 2, null]]);
  });
});
