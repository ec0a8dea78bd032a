import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyFailure, decide, DEFAULT_POLICIES, DEFAULT_TRANSIENT_BACKOFF, parseDuration, parsePolicies, PermanentFailure, scheduleFor } from './consumerRetry';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('consumer retry policy', () => {
  it('calls the database or Kafka being away, timeouts and deadlocks transient', () => {
    for (const err of [
      pgError('ECONNREFUSED'), pgError('57P01', 'terminating connection due to administrator command'), pgError('08006'), pgError('40P01', 'deadlock detected'),
      pgError('53300', 'too many connections'), new Error('timeout exceeded when trying to connect'), new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('The group coordinator is not available'), { retriable: true }), Object.assign(new Error('wrapped'), { cause: pgError('ECONNRESET') }),
    ]) assert.equal(classifyFailure(err), 'transient', String(err));
  });

  it('calls data the database refuses as such, and PermanentFailure, permanent', () => {
    assert.equal(classifyFailure(pgError('23514', 'new row violates check constraint')), 'permanent');
    assert.equal(classifyFailure(pgError('22P02', 'invalid input syntax for type uuid')), 'permanent');
    assert.equal(classifyFailure(new PermanentFailure('unknown major version')), 'permanent');
  });

  it('calls anything else unknown (a bug, a trigger\'s exception)', () => {
    assert.equal(classifyFailure(new TypeError('cannot read properties of undefined')), 'unknown');
    assert.equal(classifyFailure(pgError('P0001', 'raised by a trigger')), 'unknown');
    assert.equal(classifyFailure('a string'), 'unknown');
    assert.equal(classifyFailure(undefined), 'unknown');
  });

  it('has the defaults of the issue: task completion 3 retries at 30 s, 5 min, 30 min; reminders 10; updates 5', () => {
    assert.deepEqual(scheduleFor(DEFAULT_POLICIES, 'audit', 'task.completed').delaysMs, [30_000, 300_000, 1_800_000]);
    assert.equal(scheduleFor(DEFAULT_POLICIES, 'notifications', 'reminder.due').delaysMs.length, 10);
    assert.equal(scheduleFor(DEFAULT_POLICIES, 'audit', 'reminder.sent').delaysMs.length, 10);
    assert.equal(scheduleFor(DEFAULT_POLICIES, 'audit', 'task.updated').delaysMs.length, 5);
    assert.equal(scheduleFor(DEFAULT_POLICIES, 'sync-host-8080', 'task.created').delaysMs.length, 5);
  });

  it('picks the most specific entry: exact group over sync over *, exact type over family over *', () => {
    const parsed = parsePolicies('sync/task.*=1s;audit/task.completed=none;*/task.updated=2s,3s');
    assert.ok('policies' in parsed);
    const p = parsed.policies;
    assert.deepEqual(scheduleFor(p, 'sync-a-1', 'task.updated').delaysMs, [1000], 'sync group beats *');
    assert.deepEqual(scheduleFor(p, 'audit', 'task.updated').delaysMs, [2000, 3000]);
    assert.deepEqual(scheduleFor(p, 'audit', 'task.completed').delaysMs, [], 'none: no retries');
    assert.deepEqual(scheduleFor(p, 'notifications', 'task.completed').delaysMs, [30_000, 300_000, 1_800_000], 'the default stays for other groups');
  });

  it('refuses CONSUMER_RETRY_POLICIES it cannot read, saying which part', () => {
    assert.match((parsePolicies('audit=1s') as { error: string }).error, /audit=1s/);
    assert.match((parsePolicies('audit/Task=1s') as { error: string }).error, /not an event type/);
    assert.match((parsePolicies('audit/task.completed=1x') as { error: string }).error, /durations/);
    assert.deepEqual(parseDuration('30s'), 30_000);
    assert.deepEqual(parseDuration('7d'), 7 * 86_400_000);
    assert.equal(parseDuration('-1s'), undefined);
  });

  it('dead-letters a permanent failure at the first try and an unknown one when the schedule is used up; never a transient one', () => {
    const schedule = { delaysMs: [30_000, 300_000, 1_800_000] };
    assert.deepEqual(decide('permanent', 1, schedule, DEFAULT_TRANSIENT_BACKOFF, 'bad').action, 'dead-letter');
    assert.deepEqual([1, 2, 3, 4].map((n) => decide('unknown', n, schedule, DEFAULT_TRANSIENT_BACKOFF, 'boom')), [
      { action: 'retry', delayMs: 30_000 }, { action: 'retry', delayMs: 300_000 }, { action: 'retry', delayMs: 1_800_000 },
      { action: 'dead-letter', reason: 'gave up after 4 tries: boom' },
    ]);
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
      const d = decide('transient', n, schedule, DEFAULT_TRANSIENT_BACKOFF, 'down', () => r);
      return d.action === 'retry' && d.delayMs >= 0 && d.delayMs <= DEFAULT_TRANSIENT_BACKOFF.capMs;
    }));
  });
});
