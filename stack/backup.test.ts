import assert from 'node:assert/strict';
import { archiveCreatedAt, lostReport, type KafkaEvent } from './backup';

const ev = (eventId: string, type: string, taskId: string, seq: number, userId = 'u1'): KafkaEvent => ({ eventId, type, userId, taskId, seq, time: '2026-12-03T08:00:00Z' });

describe('the restore\'s account of what was lost', () => {
  it('reads the recovery point from the archive listing of pg_restore -l', () => {
    const listing = ';\n; Archive created at 2026-12-03 08:10:07 UTC\n;     dbname: todo\n';
    assert.equal(archiveCreatedAt(listing), '2026-12-03T08:10:07.000Z');
    assert.throws(() => archiveCreatedAt('not a listing'), /custom-format/);
  });

  it('reports every event Kafka holds that the restored database lacks, by type, task and user; none when it has them all', () => {
    const events = [ev('a', 'task.created', 't1', 1), ev('b', 'task.created', 't2', 2), ev('c', 'reminder.due', 't2', 3, 'u2'), ev('d', 'task.completed', 't1', 4)];
    const r = lostReport('2026-12-03T08:10:07.000Z', events, new Set(['a']));
    assert.equal(r.lostEvents, 3);
    assert.deepEqual(r.lostByType, { 'task.created': 1, 'reminder.due': 1, 'task.completed': 1 });
    assert.deepEqual(r.lostTasks, ['u1/t1', 'u1/t2', 'u2/t2']);
    assert.deepEqual(r.users, ['u1', 'u2']);
    assert.equal(r.firedAfterRecoveryPoint, 1);
    assert.equal(r.maxSeq, 4, 'the highest position seen, lost or not');
    assert.equal(lostReport('x', events, new Set(['a', 'b', 'c', 'd'])).lostEvents, 0);
  });
});
