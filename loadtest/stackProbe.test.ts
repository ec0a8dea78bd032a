import assert from 'node:assert/strict';
import { promLabelValues, promSum } from './stackProbe';

const TEXT = `# HELP kafka_consumer_group_lag messages on a partition that the consumer group has not committed yet
# TYPE kafka_consumer_group_lag gauge
kafka_consumer_group_lag{group="audit",topic="task-events",partition="0",service="todo-subscribers"} 3
kafka_consumer_group_lag{group="audit",topic="reminders",partition="1",service="todo-subscribers"} 4
kafka_consumer_group_lag{group="notifications",topic="reminders",partition="0",service="todo-subscribers"} 10
kafka_consumer_group_lag_other 99
events_published_total{topic="task-events",type="task.created",service="todo-actors"} 1.5e3
events_published_total{topic="reminders",type="reminder.due",service="todo-actors"} 20
outbox_pending_events 7
`;

describe('reading the services\' Prometheus metrics', () => {
  it('sums every sample of a metric, and only that metric', () => {
    assert.equal(promSum(TEXT, 'kafka_consumer_group_lag'), 17);
    assert.equal(promSum(TEXT, 'events_published_total'), 1520);
    assert.equal(promSum(TEXT, 'outbox_pending_events'), 7);
    assert.equal(promSum(TEXT, 'absent_metric'), 0);
  });

  it('filters samples by their labels', () => {
    assert.equal(promSum(TEXT, 'kafka_consumer_group_lag', (l) => l.group === 'audit'), 7);
    assert.equal(promSum(TEXT, 'kafka_consumer_group_lag', (l) => l.topic === 'reminders'), 14);
  });

  it('lists the values a label takes', () => {
    assert.deepEqual(promLabelValues(TEXT, 'kafka_consumer_group_lag', 'group'), ['audit', 'notifications']);
  });
});
