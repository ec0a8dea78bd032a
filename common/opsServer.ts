/**
 * Every service's port for operations: GET /metrics (Prometheus), /healthz and /readyz (the
 * probes), apart from the port that serves users (the gateway) or only its daprd (the actor host,
 * the subscribers). The chart's NetworkPolicies let Prometheus reach this port and nothing else;
 * the ingress never routes it. Bound to BIND_HOST like every listener.
 */
import http from 'node:http';
import express from 'express';
import { config } from './config';
import { HEALTH_PATHS } from './healthPaths';
import type { Logger } from './logger';
import { metricsHandler } from './metrics';
import { keepIdleConnectionsOpen } from './httpKeepAlive';

/** Why the service is not ready yet, or undefined when it is. */
export type Readiness = () => Promise<string | undefined> | string | undefined;

export function startOpsServer(service: string, port: number, ready: Readiness, log: Logger): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler);
  app.get(HEALTH_PATHS.liveness, (_req, res) => res.json({ status: 'ok' }));
  app.get(HEALTH_PATHS.readiness, async (_req, res) => {
    let reason: string | undefined;
    try {
      reason = await ready();
    } catch (err) {
      reason = String(err instanceof Error ? err.message : err);
    }
    if (reason) res.status(503).json({ status: 'not ready', reason });
    else res.json({ status: 'ready' });
  });
  app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'this port serves /metrics, /healthz and /readyz', details: [] } }));
  const server = keepIdleConnectionsOpen(app.listen(port, config.bindHost, () => log.info('metrics and health listening', { service, port, host: config.bindHost })));
  server.on('error', (err) => {
    log.error('metrics port failed to listen', { port, err: String(err) });
    process.exit(1);
  });
  return server;
}
