/**
 * Which database failures mean "PostgreSQL cannot take this now" rather than a bug: it is down,
 * restarting, out of connections, or out of disk. Callers answer those with 503 and a reason (the
 * write did not happen: its transaction rolled back), never with a 500.
 */

/** SQLSTATEs of a database that is unavailable or out of resources (classes 08, 53, 57P). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[123])/;
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);
const CONNECTION_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection (?:refused|reset)/i];

/** The reason to give a client when err means the database is unavailable, else undefined. */
export function databaseUnavailable(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === '53100') return 'the database is out of disk space';
  if (code === '53300') return 'the database has no free connections';
  if (UNAVAILABLE_SQLSTATE.test(code)) return 'the database is unavailable';
  if (CONNECTION_ERRNOS.has(code) || CONNECTION_MESSAGES.some((r) => r.test(message))) return 'the database cannot be reached';
  return undefined;
}
