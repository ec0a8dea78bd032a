/** The notification subscriber assembled: consumer, delivery loop, SMTP sender and dead-letter producer. */
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import { checkRetryPolicy } from '../../common/backoff';
import { DeadLetters } from '../../common/deadLetters';
import { NOTIFICATIONS_GROUP } from './reminderEvents';
import { createSmtpSender, type SmtpSender } from './mailer';
import { NotificationConsumer } from './notificationConsumer';
import { NotificationWorker } from './notificationWorker';

export class Notifications {
  private readonly deadLetters: DeadLetters;
  private readonly smtp: SmtpSender;
  private readonly worker: NotificationWorker;
  private readonly consumer: NotificationConsumer;

  constructor(kafka: Kafka, pool: Pool, config: Config, log: Logger) {
    const policy = checkRetryPolicy({ baseMs: config.notifyRetryBaseMs, capMs: config.notifyRetryCapMs, maxRetries: config.notifyMaxRetries });
    this.deadLetters = new DeadLetters(kafka, NOTIFICATIONS_GROUP);
    this.smtp = createSmtpSender({
      host: config.smtpHost, port: config.smtpPort, from: config.notifyFrom, tls: config.smtpTls, user: config.smtpUser, password: config.smtpPassword,
      connections: Math.max(1, config.notifySmtpConnections),
    });
    this.worker = new NotificationWorker(pool, this.smtp.send, this.deadLetters, {
      policy, maxAgeMs: config.notifyMaxAgeMs, pollIntervalMs: config.notifyPollIntervalMs, publicBaseUrl: config.publicBaseUrl,
    }, log);
    this.consumer = new NotificationConsumer(kafka, pool, this.deadLetters, () => this.worker.kick(), log);
  }

  /** The delivery loop starts with the consumer: it needs the dead-letter producer. */
  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.start();
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.worker.stop();
    this.smtp.close();
    await this.deadLetters.disconnect();
  }
}
