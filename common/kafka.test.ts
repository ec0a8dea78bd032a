import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { createLogger } from './logger';
import { partitionOf, runConsumer } from './kafka';

/** The part of a kafkajs Consumer that runConsumer uses: its CRASH event, connect and run. */
class StandInConsumer extends EventEmitter {
  readonly events = { CRASH: 'consumer.crash' };
  runs = 0;
  connects = 0;
  async connect() {
    this.connects++;
  }
  async run() {
    this.runs++;
  }
  crash(restart: boolean) {
    this.emit(this.events.CRASH, { payload: { error: new Error('Failed to find group coordinator'), groupId: 'g', restart } });
  }
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('kafka consumers', () => {
  it('are started again when kafkajs gives up on them, and left to kafkajs when it restarts them itself', async () => {
    const c = new StandInConsumer();
    await runConsumer(c as unknown as Consumer, {}, createLogger('kafka-test'));
    assert.equal(c.runs, 1);
    c.crash(true);
    c.crash(false);
    await until(() => c.runs === 2);
    assert.deepEqual([c.connects, c.runs], [1, 2], 'one restart, for the crash kafkajs did not restart');
  });

  it('put a key where the producers put it: one partition per user, within range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const p = partitionOf(`user-${i}`, 12);
      assert.ok(p >= 0 && p < 12);
      assert.equal(partitionOf(`user-${i}`, 12), p);
      seen.add(p);
    }
    assert.equal(seen.size, 12, 'spread over every partition');
  });
});
