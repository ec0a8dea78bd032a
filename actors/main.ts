/**
 * The actor host (Dapr app id todo-actors): runs UserActor with Dapr's JS SDK, migrates the
 * database, publishes the outbox to Kafka and relays what a crash left behind.
 */
import './tracing'; // first: it instruments node:http as it loads
import { CommunicationProtocolEnum, DaprServer } from '@dapr/dapr';
import { createRequire } from 'node:module';
import type express from 'express';
import { config } from '../common/config';
import { stopTracing } from '../common/tracing';
import { spanNamedByRoute } from '../common/traceContext';
import { createPool } from '../common/db/pool';
import { migrate } from '../common/db/migrations';
import { createKafka, ensureTopics, untilKafkaAnswers } from '../common/kafka';
import { ACTOR_RUNTIME } from '../common/daprResources';
import { createLogger } from '../common/logger';
import { refuseUnsafeSettings } from '../common/startupChecks';
import { initMetrics } from '../common/metrics';
import { requireAccessTokens, requireAppToken } from '../common/daprAccess';
import { startOpsServer } from '../common/opsServer';
import { OUTBOX_POOL_SIZE, OutboxPublisher } from './outboxPublisher';
import { OutboxPruner } from './outboxPruner';
import { RetentionPruner } from '../common/db/retention';
import { countPendingRemindersEvery15s } from './pendingReminders';
import { ReminderSync } from './reminderSync';
import { UserAlarms } from './userAlarms';
import { userActorClass } from './UserActor';
import { KnownQuotaUse } from './quotas';
import { warmUp } from './chat/parser';
import { armTestFault } from './testFaults';
import { keepIdleConnectionsOpen } from '../common/httpKeepAlive';

const log = createLogger('todo-actors');
refuseUnsafeSettings(log);

/**
 * The express app the Dapr SDK's server runs on: the app token is checked before any route of the
 * SDK's, and it listens on BIND_HOST (the SDK's HTTPServer.start calls listen(port) without a host,
 * i.e. every interface, whatever serverHost says), keeping daprd's idle connections open longer than
 * daprd does (common/httpKeepAlive.ts).
 */
function actorHostApp(): express.Express {
  // The express the SDK itself depends on (4.x; the project's is 5.x), as the SDK would make it.
  const sdkExpress = createRequire(require.resolve('@dapr/dapr'))('express') as typeof express;
  const app = sdkExpress();
  app.disable('x-powered-by');
  app.use(spanNamedByRoute());
  app.use(requireAppToken());
  const listen = app.listen.bind(app) as (port: number, host: string, cb?: () => void) => ReturnType<express.Express['listen']>;
  (app as unknown as { listen: (port: number, cb?: () => void) => unknown }).listen = (port, cb) => keepIdleConnectionsOpen(listen(port, config.bindHost, cb));
  return app;
}

async function main(): Promise<void> {
  requireAccessTokens('todo-actors', true);
  initMetrics('todo-actors');
  const pool = createPool('todo-actors');
  const applied = await migrate(pool);
  if (applied.length) log.info('database migrated', { versions: applied });

  const kafka = createKafka('todo-actors', log);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 } });
  // Its own connections: in a reminder storm the actors' firings queued 80 deep for the shared
  // pool, and the flusher, waiting among them, published rows committed long before.
  const outboxPool = createPool('todo-actors-outbox', OUTBOX_POOL_SIZE);
  const outbox = new OutboxPublisher(outboxPool, producer, log);
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

  const alarms = new UserAlarms();
  const reminders = new ReminderSync(pool, config.daprHttpPort, config.reminderLeadMs, alarms, log);
  reminders.startReconciler(config.outboxRelayIntervalMs);
  const pendingCount = countPendingRemindersEvery15s(pool, log);
  armTestFault(config.testFault, log);
  const UserActor = userActorClass({ pool, kickOutbox: (u) => outbox.kick(u), syncReminders: (u) => void reminders.kick(u), alarms, now: () => new Date(), reminderLeadMs: config.reminderLeadMs, log, quotas: { openTasks: config.maxOpenTasksPerUser, pendingReminders: config.maxPendingRemindersPerUser }, knownUse: new KnownQuotaUse() });

  const server = new DaprServer({
    serverHost: config.bindHost,
    serverPort: String(config.actorsPort),
    serverHttp: actorHostApp(),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    clientOptions: {
      daprHost: '127.0.0.1',
      daprPort: String(config.daprHttpPort),
      daprApiToken: config.daprApiToken || undefined,
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
  // Ready without Kafka: the outbox keeps events until it is reachable.
  const ops = startOpsServer('todo-actors', config.actorsMetricsPort, async () => {
    await pool.query('SELECT 1');
    if (!kafkaReady) log.debug('ready while kafka is still connecting');
    return undefined;
  }, log);
  await server.start();
  log.info('actor host started', { port: config.actorsPort, daprHttpPort: config.daprHttpPort });

  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    try {
      await server.stop();
    } catch (err) {
      log.warn('dapr server stop failed', { err: String(err) });
    }
    ops.close();
    pendingCount.stop();
    pruner.stop();
    retention.stop();
    await reminders.stop();
    await outbox.stop();
    await producer.disconnect().catch(() => undefined);
    await outboxPool.end().catch(() => undefined);
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
