/** Consumer lag on the real stack: exported per group, topic and partition, and it drains to zero. */
import assert from 'node:assert/strict';
import { config } from '../common/config';
import { api, eventually, serviceMetrics, tokenFor, uniqueUser } from '../stack/testSupport';

async function lagLines(): Promise<Map<string, number>> {
  const text = await serviceMetrics('subscribers');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^kafka_consumer_group_lag\{([^}]*)\} (\S+)$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

describe('consumer lag metric', function () {
  this.timeout(60_000);

  it('is exported for every partition the audit and notification groups read, and drains to zero after writes', async () => {
    const token = await tokenFor(uniqueUser('lag'));
    for (let i = 0; i < 5; i++) await api('POST', '/v1/tasks', { token, body: { title: `lag ${i}` } });
    const lines = await eventually(async () => {
      const l = await lagLines();
      const audit = [...l.keys()].filter((k) => k.includes('group="audit"') && k.includes('topic="task-events"'));
      return audit.length === config.kafkaPartitions ? l : undefined;
    }, 30_000, 'lag for all 12 partitions of task-events in group audit');
    assert.ok([...lines.keys()].some((k) => k.includes('group="notifications"') && k.includes('topic="reminders"')));
    for (const v of lines.values()) assert.ok(Number.isFinite(v) && v >= 0);
    await eventually(async () => {
      const l = await lagLines();
      const total = [...l.entries()].filter(([k]) => k.includes('group="audit"')).reduce((s, [, v]) => s + v, 0);
      return total === 0 ? true : undefined;
    }, 30_000, 'the audit group to catch up (lag 0)');
  });
});
