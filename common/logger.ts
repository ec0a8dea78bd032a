/**
 * Structured JSON logs. Every line carries the service; callers add userId, taskId, eventId and
 * traceId through child loggers, so one request can be followed across processes.
 */
import winston from 'winston';
import { config } from './config';

export type Logger = winston.Logger;

export function createLogger(service: string): Logger {
  return winston.createLogger({
    level: config.logLevel,
    defaultMeta: { service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}

/** The trace id of a W3C traceparent header (version-traceid-spanid-flags), if there is one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (!traceparent) return undefined;
  const parts = traceparent.split('-');
  return parts.length === 4 && /^[0-9a-f]{32}$/.test(parts[1]) ? parts[1] : undefined;
}
