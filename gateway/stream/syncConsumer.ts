/**
 * Feeds this gateway process's sockets: a Kafka consumer group of its own (every gateway process
 * sees every event), reading task-events and reminders from where it left off, or from now for a
 * new group. Live delivery is best effort; a device that reconnects asks for what it missed.
 */
import type { Consumer, Kafka } from 'kafkajs';
import { TOPICS } from '../../common/events/envelope';
import type { Logger } from '../../common/logger';
import { validateEvent } from '../../common/validation';
import type { StreamHub } from './streamHub';

export class SyncConsumer {
  private readonly consumer: Consumer;
  running = false;

  constructor(kafka: Kafka, readonly groupId: string, private readonly hub: StreamHub, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 30000, heartbeatInterval: 3000 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.taskEvents, TOPICS.reminders], fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const json = message.value?.toString('utf8') ?? '';
        let event: unknown;
        try {
          event = JSON.parse(json);
        } catch {
          return; // the audit group dead-letters it
        }
        if (!validateEvent(event).ok) return;
        this.hub.publish((event as { userId: string }).userId, json);
      },
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
