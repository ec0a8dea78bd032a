/**
 * The actor host (Dapr app id todo-actors): runs UserActor with Dapr's JS SDK, migrates the
 * database, publishes the outbox to Kafka and relays what a crash left behind.
 */
import './tracing'; // first: it instruments http, express and pg as they load
import { CommunicationProtocolEnum, DaprServer } from '@dapr/dapr';
import type { Request, Response } from 'express';
import { config } from '../common/config';
import { stopTracing } from '../common/tracing';
import { createPool } from '../common/db/pool';
import { migrate } from '../common/db/migrations';
import { createKafka, ensureTopics, untilKafkaAnswers } from '../common/kafka';
import { ACTOR_RUNTIME } from '../common/daprResources';
import { createLogger } from '../common/logger';
import { refuseUnsafeSettings } from '../common/startupChecks';
import { initMetrics, metricsHandler } from '../common/metrics';
import { OutboxPublisher } from './outboxPublisher';
import { OutboxPruner } from './outboxPruner';
import { RetentionPruner } from '../common/db/retention';
import { countPendingRemindersEvery15s } from './pendingReminders';
import { ReminderSync } from './reminderSync';
import { userActorClass } from './UserActor';
import { warmUp } from './chat/parser';
import { HEALTH_PATHS } from '../common/healthPaths';
import { armTestFault } from './testFaults';

const log = createLogger('todo-actors');
refuseUnsafeSettings(log);

async function main(): Promise<void> {
  initMetrics('todo-actors');
  const pool = createPool('todo-actors');
  const applied = await migrate(pool);
  if (applied.length) log.info('database migrated', { versions: applied });

  const kafka = createKafka('todo-actors', log);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 } });
  const outbox = new OutboxPublisher(pool, producer, log);
  let kafkaReady = false;
  // Kafka may be down at start: writes must still succeed, so connect in the background.
  void untilKafkaAnswers(
    async () => {
      const admin = kafka.admin();
      await admin.connect();
      const created = await ensureTopics(admin);
      await admin.disconnect();
      if (created.length) log.info('kafka topics created', { topics: created });
      await producer.connect();
      kafkaReady = true;
      log.info('kafka producer connected');
    },
    (err, attempt) => log.warn('kafka not reachable yet; the outbox keeps events until it is', { attempt, err: String(err) }),
  );
  outbox.startRelay(config.outboxRelayIntervalMs);
  const pruner = new OutboxPruner(pool, log, config.outboxRetentionMs);
  pruner.start(config.outboxPruneIntervalMs);
  const retention = new RetentionPruner(pool, [{ table: 'idempotency_keys', timeColumn: 'created_at', retentionMs: config.idempotencyKeyRetentionMs }], log);
  retention.start(config.retentionPruneIntervalMs);

  const reminders = new ReminderSync(pool, config.daprHttpPort, log);
  reminders.startReconciler(config.outboxRelayIntervalMs);
  const pendingCount = countPendingRemindersEvery15s(pool, log);
  armTestFault(config.testFault, log);
  const UserActor = userActorClass({ pool, kickOutbox: (u) => outbox.kick(u), syncReminders: (u) => reminders.kick(u), now: () => new Date(), log });

  const server = new DaprServer({
    serverHost: config.bindHost,
    serverPort: String(config.actorsPort),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: {
      daprHost: '127.0.0.1',
      daprPort: String(config.daprHttpPort),
      actor: {
        actorIdleTimeout: ACTOR_RUNTIME.actorIdleTimeout,
        drainOngoingCallTimeout: `${ACTOR_RUNTIME.drainOngoingCallTimeoutSeconds}s`,
        drainRebalancedActors: ACTOR_RUNTIME.drainRebalancedActors,
      },
    },
    logger: { level: 1 },
  });
  await server.actor.init();
  warmUp(); // chrono-node and V8 compile the chat parser's patterns now, not on the first message
  await server.actor.registerActor(UserActor);
  const http = server.daprServer.getServer() as unknown as { get: (p: string, h: (req: Request, res: Response) => unknown) => void };
  http.get('/metrics', metricsHandler);
  http.get(HEALTH_PATHS.readiness, async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      res.json({ status: 'ready', kafka: kafkaReady ? 'connected' : 'connecting' });
    } catch (err) {
      res.status(503).json({ status: 'not ready', reason: String(err) });
    }
  });
  await server.start();
  log.info('actor host started', { port: config.actorsPort, daprHttpPort: config.daprHttpPort });

  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    try {
      await server.stop();
    } catch (err) {
      log.warn('dapr server stop failed', { err: String(err) });
    }
    pendingCount.stop();
    pruner.stop();
    retention.stop();
    await reminders.stop();
    await outbox.stop();
    await producer.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await stopTracing();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  log.error('actor host failed to start', { err: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
