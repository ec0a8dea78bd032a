/**
 * As an attacker with network access to the broker (any local process; any workload next to the
 * pods): without a Kafka user, or with the credentials of a service other than the actor host,
 * nobody can forge a reminder (a reminder.due sends an email to any address) or read everyone's
 * task events. The subscribers' user writes only its dead-letter topics and dead-letter-replays,
 * which only the subscribers' own groups read.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KafkaConfig } from 'kafkajs';
import { createKafka } from '../../common/kafka';
import { createLogger } from '../../common/logger';
import { REPLAY_TOPIC, TOPICS } from '../../common/events/envelope';
import { KAFKA_USERS } from '../../common/kafkaAcls';
import { kafkaUserSecurity, KAFKA_SASL_MECHANISM } from '../kafka/security';

const log = createLogger('kafka-attacker-test');

/** A forged reminder.due for someone else's task, to an address of the attacker's choosing. */
const forged = () => JSON.stringify({
  eventId: randomUUID(), type: 'reminder.due', version: '1.0', time: new Date().toISOString(), userId: 'victim', taskId: randomUUID(),
  data: { reminderId: 'r', occurrence: 1, fireAt: new Date().toISOString(), email: 'attacker@example.com', title: 'forged' },
});

async function tryProduce(security: Pick<KafkaConfig, 'ssl' | 'sasl'>, topic: string): Promise<string> {
  const producer = createKafka(`attacker-${randomUUID().slice(0, 6)}`, log, { security, quiet: true, retry: { retries: 1, initialRetryTime: 100 }, connectionTimeout: 2000 })
    .producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'victim', value: forged() }] });
    return 'produced';
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

describe('security: Kafka has a user per service and ACLs per topic', function () {
  this.timeout(60_000);

  it('refuses a client without credentials', async () => {
    const outcome = await tryProduce({}, TOPICS.reminders);
    assert.notEqual(outcome, 'produced');
  });

  it('refuses a client whose password is wrong', async () => {
    const outcome = await tryProduce({ sasl: { mechanism: KAFKA_SASL_MECHANISM, username: KAFKA_USERS.actors, password: 'guessed' } }, TOPICS.reminders);
    assert.notEqual(outcome, 'produced');
    assert.match(outcome, /SASL|[Aa]uthentication/);
  });

  for (const service of ['gateway', 'subscribers'] as const) {
    it(`refuses the ${service}'s user a write to the reminders and task-events topics (only the actor host writes them)`, async () => {
      for (const topic of [TOPICS.reminders, TOPICS.taskEvents, TOPICS.taskUpdates]) {
        const outcome = await tryProduce(kafkaUserSecurity(service), topic);
        assert.match(outcome, /authoriz/i, `${service} → ${topic}: ${outcome}`);
      }
    });
  }

  it("refuses the gateway's and the actor host's users a write to dead-letter-replays (a replay there, marked for the notifications, is an email)", async () => {
    for (const service of ['gateway', 'actors'] as const) {
      const outcome = await tryProduce(kafkaUserSecurity(service), REPLAY_TOPIC);
      assert.match(outcome, /authoriz/i, `${service} → ${REPLAY_TOPIC}: ${outcome}`);
    }
  });

  it("refuses the gateway's user a read of every user's task events", async () => {
    const consumer = createKafka('attacker-reader', log, { security: kafkaUserSecurity('gateway'), quiet: true, retry: { retries: 0 } })
      .consumer({ groupId: `sync-attacker-${randomUUID().slice(0, 6)}` });
    try {
      await consumer.connect();
      const failed = new Promise<string>((resolve) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => resolve(String(payload.error)));
      });
      await consumer.subscribe({ topics: [TOPICS.taskEvents], fromBeginning: true });
      const outcome = await Promise.race([
        consumer.run({ eachMessage: async () => undefined }).then(() => failed),
        failed,
      ]);
      assert.match(outcome, /authoriz/i);
    } catch (err) {
      assert.match(String(err), /authoriz/i);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  });
});
