/**
 * The subscribers (Dapr app id todo-subscribers): Kafka consumer groups that act on events.
 * Today: `audit`, into PostgreSQL, with its query endpoint for the gateway.
 */
import express from 'express';
import { config } from '../common/config';
import { createPool } from '../common/db/pool';
import { migrate } from '../common/db/migrations';
import { createKafka, ensureTopics } from '../common/kafka';
import { createLogger } from '../common/logger';
import { initMetrics, metricsHandler } from '../common/metrics';
import { AuditConsumer } from './audit/auditConsumer';
import { auditApi } from './audit/auditApi';

const log = createLogger('todo-subscribers');

async function main(): Promise<void> {
  initMetrics('todo-subscribers');
  const pool = createPool('todo-subscribers');
  const applied = await migrate(pool);
  if (applied.length) log.info('database migrated', { versions: applied });
  const kafka = createKafka('todo-subscribers', log);
  const audit = new AuditConsumer(kafka, pool, log);
  let consuming = false;

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      if (!consuming) throw new Error('the audit consumer has not joined its group yet');
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'not ready', reason: String(err instanceof Error ? err.message : err) });
    }
  });
  app.get('/metrics', metricsHandler);
  app.use(auditApi(pool));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log.error('audit query failed', { err: String(err) });
    res.status(500).json({ error: { code: 'internal', message: 'the audit query failed', details: [] } });
  });
  const server = app.listen(config.subscribersPort, config.bindHost, () => log.info('subscribers listening', { port: config.subscribersPort }));

  for (let attempt = 1; !consuming; attempt++) {
    try {
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin);
      await admin.disconnect();
      await audit.start();
      consuming = true;
      log.info('audit consumer running', { group: 'audit' });
    } catch (err) {
      log.warn('kafka not reachable yet', { attempt, err: String(err) });
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      log.info('shutting down', { signal });
      server.close();
      await audit.stop();
      await pool.end().catch(() => undefined);
      process.exit(0);
    });
  }
}

main().catch((err) => {
  log.error('subscribers failed to start', { err: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
