/**
 * What a consumer group gives up on goes to the source topic's dead-letter topic, with the reason,
 * the consumer group and the source topic in headers.
 */
import type { Kafka, Producer } from 'kafkajs';
import { deadLetterTopic } from './events/envelope';

export interface DeadLetter {
  key: Buffer | string | null;
  value: Buffer | string | null;
  reason: string;
}

export class DeadLetters {
  private readonly producer: Producer;

  constructor(kafka: Kafka, private readonly group: string) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Resolves once every replica has the messages (acks -1): only then may the caller move on. */
  async send(sourceTopic: string, letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: deadLetterTopic(sourceTopic),
      acks: -1,
      messages: letters.map((d) => ({
        key: d.key,
        value: d.value,
        headers: { 'dlt-reason': d.reason, 'dlt-group': this.group, 'dlt-source-topic': sourceTopic },
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect().catch(() => undefined);
  }
}
