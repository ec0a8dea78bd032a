/** The PostgreSQL pool of a service process, from the PG* settings. */
import fs from 'node:fs';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { config, type Config } from '../config';
import { trackPool } from '../metrics';
import { instrumentedClient } from './instrumentedClient';
import { createLogger } from '../logger';

/**
 * TLS to PostgreSQL from PGSSLMODE and PGSSLROOTCERT, with libpq's meanings: `require` encrypts
 * without checking the server, `verify-full` checks its certificate and host name.
 */
export function pgSsl(c: Pick<Config, 'pgSslMode' | 'pgSslRootCert'> = config, readFile = (f: string) => fs.readFileSync(f, 'utf8')): PoolConfig['ssl'] {
  switch (c.pgSslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return c.pgSslRootCert ? { rejectUnauthorized: true, ca: readFile(c.pgSslRootCert) } : { rejectUnauthorized: true };
  }
}

/**
 * Its connections and statements are in the service's metrics, labelled pool=<applicationName>.
 * `max` is PG_POOL_SIZE unless given: a loop that must not queue behind the requests' transactions
 * (the outbox publisher) has a small pool of its own.
 */
export function createPool(applicationName: string, max: number = config.pgPoolSize): Pool {
  const pool = new Pool({
    host: config.pgHost,
    port: config.pgPort,
    user: config.pgUser,
    password: config.pgPassword,
    database: config.pgDatabase,
    max,
    application_name: applicationName,
    ssl: pgSsl(),
    connectionTimeoutMillis: 5000,
    Client: instrumentedClient(applicationName),
  });
  // A connection that PostgreSQL drops (a restart, a kill) emits 'error': on the pool while idle, on
  // the client while checked out between two queries. Without a listener either would end the
  // process; with one, the query in flight fails (the caller answers 503) and the client is
  // discarded when released. The next query opens a new connection.
  const log = createLogger(applicationName);
  pool.on('error', (err) => log.warn('idle PostgreSQL connection lost', { pool: applicationName, err: String(err) }));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn('PostgreSQL connection lost while in use', { pool: applicationName, err: String(err) }));
  });
  trackPool(applicationName, pool);
  return pool;
}

/** Runs fn inside BEGIN/COMMIT on one connection; rolls back and rethrows on any error. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

class RolledBack extends Error {}

/** Like inTransaction, for writes that may find they cannot go ahead: fn returns false to roll back. */
export async function commitIf(pool: Pool, fn: (client: PoolClient) => Promise<boolean>): Promise<boolean> {
  try {
    return await inTransaction(pool, async (tx) => {
      if (!(await fn(tx))) throw new RolledBack();
      return true;
    });
  } catch (err) {
    if (err instanceof RolledBack) return false;
    throw err;
  }
}

/**
 * Like inTransaction, but only if this transaction can take the advisory lock named `lockName`
 * (pg_try_advisory_xact_lock): undefined, with nothing done, while another process holds it. For
 * background passes that several processes may start at once (retention, outbox pruning).
 */
export async function inTransactionIfLocked<T>(pool: Pool, lockName: string, fn: (client: PoolClient) => Promise<T>): Promise<T | undefined> {
  try {
    return await inTransaction(pool, async (tx) => {
      const lock = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [lockName]);
      if (!lock.rows[0].ok) throw new RolledBack();
      return fn(tx);
    });
  } catch (err) {
    if (err instanceof RolledBack) return undefined;
    throw err;
  }
}
