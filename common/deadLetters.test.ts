import assert from 'node:assert/strict';
import { config } from './config';
import { deadLetterRetentionMs } from './deadLetters';

describe('the retention of each dead-letter topic', () => {
  const day = 24 * 3600 * 1000;

  it('is 30 days for task-events.dlt, 7 for reminders.dlt and 14 for task-updates.dlt by default', () => {
    assert.equal(config.dltRetentionTaskEventsMs, 30 * day);
    assert.equal(config.dltRetentionRemindersMs, 7 * day);
    assert.equal(config.dltRetentionTaskUpdatesMs, 14 * day);
    assert.deepEqual(['task-events.dlt', 'reminders.dlt', 'task-updates.dlt'].map((t) => deadLetterRetentionMs(t) / day), [30, 7, 14]);
  });

  it('follows each topic\'s own setting; any other topic keeps KAFKA_RETENTION_MS', () => {
    const c = { dltRetentionTaskEventsMs: 1, dltRetentionRemindersMs: 2, dltRetentionTaskUpdatesMs: 3, kafkaRetentionMs: 4 };
    assert.deepEqual(['task-events.dlt', 'reminders.dlt', 'task-updates.dlt', 'dead-letter-replays', 'other.dlt'].map((t) => deadLetterRetentionMs(t, c)), [1, 2, 3, 4, 4]);
  });
});
