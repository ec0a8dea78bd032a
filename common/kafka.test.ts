import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { createLogger } from './logger';
import { partitionOf, runConsumer, untilKafkaAnswers } from './kafka';

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

  it('are reached by one retry loop: it tries until a try succeeds, backing off 0.5 s more each time up to 5 s', async () => {
    const waits: number[] = [];
    const failures: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const result = await untilKafkaAnswers(
      async (attempt) => {
        if (attempt < 13) throw new Error('broker not reachable');
        return `connected on try ${attempt}`;
      },
      (_err, attempt) => failures.push(attempt),
      { sleep },
    );
    assert.equal(result, 'connected on try 13');
    assert.deepEqual(failures, Array.from({ length: 12 }, (_, i) => i + 1));
    assert.deepEqual(waits, [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5000, 5000]);
  });

  it('are given a moment before the first try when kafkajs has just dropped them', async () => {
    const waits: number[] = [];
    await untilKafkaAnswers(
      async (attempt) => {
        if (attempt < 2) throw new Error('coordinator not found');
      },
      () => undefined,
      { waitFirst: true, sleep: async (ms) => void waits.push(ms) },
    );
    assert.deepEqual(waits, [500, 1000]);
  });
});
