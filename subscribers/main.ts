/**
 * The subscribers (Dapr app id todo-subscribers): Kafka consumer groups that act on events.
 * `audit`, into PostgreSQL, with its query endpoint for the gateway; `notifications`, reminder
 * emails over SMTP (subscribers/notifications/README.md); `dead-letter-index`, the index of the
 * dead-letter topics behind the operators' API (subscribers/deadLetters/README.md).
 */
import './tracing'; // first: it instruments node:http as it loads
import express from 'express';
import { config } from '../common/config';
import { stopTracing } from '../common/tracing';
import { spanNamedByRoute } from '../common/traceContext';
import { createPool } from '../common/db/pool';
import { migrate } from '../common/db/migrations';
import { consumerPolicies, createKafka, ensureTopics, untilKafkaAnswers } from '../common/kafka';
import { createLogger } from '../common/logger';
import { refuseUnsafeSettings } from '../common/startupChecks';
import { initMetrics } from '../common/metrics';
import { requireAccessTokens, requireAppToken } from '../common/daprAccess';
import { startOpsServer } from '../common/opsServer';
import { AUDIT_GROUP, AUDITED_TOPICS, AuditConsumer } from './audit/auditConsumer';
import { auditApi } from './audit/auditApi';
import { AuditProgress } from './audit/auditProgress';
import { Notifications } from './notifications/notifications';
import { NOTIFICATIONS_GROUP } from './notifications/reminderEvents';
import { ConsumerLagMonitor } from './consumerLag';
import { TOPICS } from '../common/events/envelope';
import { HEALTH_PATHS } from '../common/healthPaths';
import { DeadLetterIndex, DEAD_LETTER_INDEX_GROUP, DEAD_LETTER_TOPICS } from './deadLetters/deadLetterIndex';
import { deadLetterAdminApi, Replayer } from './deadLetters/adminApi';
import { classifyFailure } from '../common/consumerRetry';
import { RetentionPruner } from '../common/db/retention';
import { subscriberRetention } from './retention';
import { keepIdleConnectionsOpen } from '../common/httpKeepAlive';

const log = createLogger('todo-subscribers');
refuseUnsafeSettings(log);

async function main(): Promise<void> {
  requireAccessTokens('todo-subscribers', true);
  initMetrics('todo-subscribers');
  consumerPolicies(); // an invalid CONSUMER_RETRY_POLICIES stops the start here, with the reason
  const pool = createPool('todo-subscribers');
  const applied = await migrate(pool);
  if (applied.length) log.info('database migrated', { versions: applied });
  const retention = new RetentionPruner(pool, subscriberRetention(config), log);
  retention.start(config.retentionPruneIntervalMs);
  const kafka = createKafka('todo-subscribers', log);
  const audit = new AuditConsumer(kafka, pool, log);
  const auditProgress = new AuditProgress(kafka, AUDIT_GROUP, AUDITED_TOPICS);
  const notifications = new Notifications(kafka, pool, config, log);
  const deadLetterIndex = new DeadLetterIndex(kafka, pool, log);
  const replayer = new Replayer(kafka);
  // Each is started once; a failed start is retried without restarting the ones already running.
  const consumers = [
    { name: 'audit', start: () => audit.start(), stop: () => audit.stop(), running: false },
    { name: 'notifications', start: () => notifications.start(), stop: () => notifications.stop(), running: false },
    { name: 'dead-letter-index', start: () => deadLetterIndex.start(), stop: () => deadLetterIndex.stop(), running: false },
    { name: 'dead-letter-replayer', start: () => replayer.connect(), stop: () => replayer.disconnect(), running: false },
  ];
  const lag = new ConsumerLagMonitor(kafka, { [AUDIT_GROUP]: [...AUDITED_TOPICS], [NOTIFICATIONS_GROUP]: [TOPICS.reminders], [DEAD_LETTER_INDEX_GROUP]: [...DEAD_LETTER_TOPICS] }, log);

  const ops = startOpsServer('todo-subscribers', config.subscribersMetricsPort, async () => {
    await pool.query('SELECT 1');
    const waiting = consumers.filter((c) => !c.running).map((c) => c.name);
    return waiting.length ? `consumers not running yet: ${waiting.join(', ')}` : undefined;
  }, log);

  // The app port: only the subscribers' daprd calls it (the gateway's audit queries, through Dapr).
  const app = express();
  app.disable('x-powered-by');
  app.use(spanNamedByRoute());
  app.use(requireAppToken());
  app.get(HEALTH_PATHS.liveness, (_req, res) => res.json({ status: 'ok' })); // daprd's app health probe
  app.use(auditApi(pool, auditProgress, config.streamReplayAuditWaitMs));
  app.use(deadLetterAdminApi(pool, replayer, config.deadLetterBulkReplayMax, log));
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'malformed_json', message: 'the request body is not valid JSON', details: [{ field: '(body)', message: 'must be valid JSON' }] } });
      return;
    }
    const transient = classifyFailure(err) === 'transient';
    log.error('internal query failed', { path: req.path, transient, err: String(err) });
    if (transient) res.status(503).json({ error: { code: 'unavailable', message: 'the database or Kafka could not answer; try again', details: [] } });
    else res.status(500).json({ error: { code: 'internal', message: 'the query failed', details: [] } });
  });
  const server = keepIdleConnectionsOpen(app.listen(config.subscribersPort, config.bindHost, () => log.info('subscribers listening', { port: config.subscribersPort })));

  await untilKafkaAnswers(
    async () => {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin);
      await admin.disconnect();
      for (const c of consumers.filter((x) => !x.running)) {
        await c.start();
        c.running = true;
        log.info('consumer running', { group: c.name });
      }
      lag.start(5000);
    },
    (err, attempt) => log.warn('kafka not reachable yet', { attempt, err: String(err) }),
  );

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      log.info('shutting down', { signal });
      server.close();
      ops.close();
      await lag.stop();
      retention.stop();
      await auditProgress.stop();
      for (const c of consumers) await c.stop();
      await pool.end().catch(() => undefined);
      await stopTracing();
      process.exit(0);
    });
  }
}

main().catch((err) => {
  log.error('subscribers failed to start', { err: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
