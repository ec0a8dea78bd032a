/** The error body (docs/API.md, "Conventions"), and the express handler that produces it for every failure. */
import type { NextFunction, Request, Response } from 'express';
import type { FieldError } from '../common/validation';
import type { Logger } from '../common/logger';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string, details: FieldError[] = []): void {
  res.status(status).json({ error: { code, message, details } });
}

/** Last express middleware: known errors keep their status; body-parser errors become 400/413; the rest 500. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return sendError(res, err.status, err.code, err.message, err.details);
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the request body is over the limit');
    if (e?.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', 'the request body is not valid JSON', [{ field: '(body)', message: 'must be valid JSON' }]);
    if (e?.type && e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad_request', e.message ?? 'bad request');
    log.error('unhandled error', { method: req.method, path: req.path, err: err instanceof Error ? err.stack : String(err) });
    sendError(res, 500, 'internal', 'something went wrong on our side');
  };
}
