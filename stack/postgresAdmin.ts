/** The local PostgreSQL cluster's superuser (`postgres`, trusted over loopback), for the stack's own administration. */
import { Client } from 'pg';

/** Runs fn on a connection as the superuser to `database` of the cluster on `port`; closes it after. */
export async function asSuperuser<T>(port: number, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A name quoted as an SQL identifier (for statements that take no parameters: CREATE ROLE, ALTER TABLE …). */
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A string quoted as an SQL literal, for the same statements. */
export const sqlLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;
