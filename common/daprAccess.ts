/**
 * Who may talk to whom between a service and its Dapr sidecar (Dapr's two API tokens):
 * - DAPR_API_TOKEN: the service sends it to its own daprd on every call (header dapr-api-token);
 *   daprd, started with the same DAPR_API_TOKEN, refuses calls without it (only its /v1.0/healthz
 *   is open). So another process on the host, or another pod, cannot use the sidecar.
 * - APP_API_TOKEN: daprd sends it to its app on every call it makes (actor callbacks, service
 *   invocation); the actor host and the subscribers refuse every request to their app port that
 *   does not carry it. The one exception is GET /healthz: daprd's app health probe sends no token
 *   (Dapr 1.18, pkg/channel/http/http_channel.go, HealthProbe), and it answers nothing but "ok".
 * The local stack makes both tokens per service (stack/credentials.ts); in the cluster they come
 * from Secrets the operator makes (helm/README.md, "Before installing").
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { config, type Config } from './config';
import { HEALTH_PATHS } from './healthPaths';

export const DAPR_TOKEN_HEADER = 'dapr-api-token';

/** The header that authenticates this process to its own daprd (empty when no token is configured). */
export function daprApiHeaders(token = config.daprApiToken): Record<string, string> {
  return token ? { [DAPR_TOKEN_HEADER]: token } : {};
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Express middleware for an app port that only its daprd may call: 401 without the app token.
 * With no token configured (a test's own app) everything passes; production refuses to start
 * without one (requireAccessTokens).
 */
export function requireAppToken(token = config.appApiToken) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!token || (req.method === 'GET' && req.path === HEALTH_PATHS.liveness) || sameToken(req.header(DAPR_TOKEN_HEADER), token)) {
      next();
      return;
    }
    res.status(401).json({ error: { code: 'unauthorized', message: 'this port answers only its Dapr sidecar: the dapr-api-token header is missing or wrong', details: [] } });
  };
}

/** With NODE_ENV=production a service does not start without both tokens; the error names the variables. */
export function requireAccessTokens(service: string, needsAppToken: boolean, c: Pick<Config, 'appApiToken' | 'daprApiToken'> = config,
  env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production') return;
  const missing = [...(needsAppToken && !c.appApiToken ? ['APP_API_TOKEN'] : []), ...(!c.daprApiToken ? ['DAPR_API_TOKEN'] : [])];
  if (missing.length) throw new Error(`${service}: NODE_ENV=production needs ${missing.join(' and ')} (Dapr's API tokens; the chart sets them from its Secret)`);
}
