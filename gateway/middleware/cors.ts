/**
 * CORS for browser clients, from CORS_ORIGINS: a comma-separated list of allowed origins, `*`
 * for any, empty (the default) for none. Preflights are answered here with 204.
 */
import type { NextFunction, Request, Response } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match, X-Timezone, traceparent';
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, traceparent, Server-Timing';

export function cors(originsSetting: string) {
  const origins = originsSetting.split(',').map((o) => o.trim()).filter(Boolean);
  const any = origins.includes('*');
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.header('origin');
    if (!origin || origins.length === 0 || (!any && !origins.includes(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) res.append('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.header('access-control-request-method')) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
