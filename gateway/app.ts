/** The gateway's express app: JSON in and out, auth on /v1, errors in the contract's shape. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { httpRequestDuration } from '../common/metrics';
import { traceIdOf, type Logger } from '../common/logger';
import { config } from '../common/config';
import { currentTraceparent, routeOf, spanNamedByRoute } from '../common/traceContext';
import { requireAuth, requireOperator } from './auth';
import { openApiDocument } from './openapi';
import { cors } from './middleware/cors';
import { rateLimitPerUser } from './middleware/rateLimit';
import { securityHeaders } from './middleware/securityHeaders';
import { sidecarHealthy } from './daprClient';
import { errorHandler, sendError } from './errors';
import { adminRouter } from './routes/admin';
import { auditRouter } from './routes/audit';
import { chatRouter } from './routes/chat';
import { meRouter } from './routes/me';
import { tasksRouter } from './routes/tasks';
import { streamTicketRouter } from './routes/streamTicket';
import { webRouter } from './web/webRoutes';
import { HEALTH_PATHS } from '../common/healthPaths';

export const BODY_LIMIT = '1mb';

/** Returns why a dependency beyond the sidecar is not ready yet, or undefined when it is. */
export type ReadinessCheck = () => string | undefined;

/** The gateway's readiness (served here and on its metrics port): its sidecar answers, and `notReady` has no reason. */
export async function gatewayNotReady(notReady: ReadinessCheck): Promise<string | undefined> {
  return (await sidecarHealthy()) ? notReady() : 'the Dapr sidecar does not answer';
}

export function createApp(log: Logger, notReady: ReadinessCheck = () => undefined): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  // Trace context: the request's span (common/tracing.ts continues the caller's W3C traceparent or
  // starts a trace); without tracing, the caller's traceparent or a new one. The answer names it in
  // `traceparent` and `Server-Timing`, so a caller can find the trace of their own request in Zipkin.
  // Time every request, and name its span by the route it took.
  app.use((req: Request, res: Response, next: NextFunction) => {
    let tp = currentTraceparent() ?? req.header('traceparent');
    if (!traceIdOf(tp)) tp = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    req.headers.traceparent = tp;
    res.locals.traceId = traceIdOf(tp);
    res.setHeader('traceparent', tp!);
    res.setHeader('Server-Timing', `traceparent;desc="${tp}"`);
    const end = httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: routeOf(req), status_code: String(res.statusCode) }));
    next();
  });
  app.use(spanNamedByRoute());

  app.get(HEALTH_PATHS.liveness, (_req, res) => res.json({ status: 'ok' }));
  app.get(HEALTH_PATHS.readiness, async (_req, res) => {
    const reason = await gatewayNotReady(notReady);
    if (reason) res.status(503).json({ status: 'not ready', reason });
    else res.json({ status: 'ready' });
  });

  app.use(securityHeaders());
  app.use(cors(config.corsOrigins));
  app.use(webRouter());
  app.get('/v1/openapi.json', (_req, res) => res.json(openApiDocument));
  app.use('/v1', express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use('/v1', requireAuth());
  app.use('/v1', rateLimitPerUser(config.rateLimitPerSecond, config.rateLimitBurst, config.rateLimitGateways));
  app.use('/v1/tasks', tasksRouter());
  app.use('/v1/audit', auditRouter());
  app.use('/v1/chat', chatRouter());
  app.use('/v1/me', meRouter());
  app.use('/v1/stream/ticket', streamTicketRouter());
  app.use('/v1/admin', requireOperator(), adminRouter());
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such route'));
  app.use(errorHandler(log));
  return app;
}
