/**
 * Scenario 7's full disk: the application's tables and indexes are moved into a tablespace on a
 * size-limited file system (a tmpfs mounted for the run, their size plus 64 MiB), which is then
 * filled to the last byte by a file, and freed by deleting it. PostgreSQL's WAL stays on the
 * main disk, as on a cluster whose data volume fills: what fails is extending a table or index
 * (SQLSTATE 53100). Needs root (mount); everything is put back afterwards.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { asSuperuser, sqlIdent } from '../../stack/postgresAdmin';
import { config } from '../../common/config';
import { postgresRunAs } from '../../stack/prepare';
import { paths } from '../../stack/paths';
import { readState } from '../../stack/stackState';

const TABLESPACE = 'chaos_small';
const HEADROOM = 64 * 1024 * 1024;
const mountPoint = () => paths.data('pg-small');
const filler = () => path.join(mountPoint(), 'filler');

const superuser = <T>(fn: (c: Client) => Promise<T>): Promise<T> => asSuperuser(readState()?.pgPort ?? config.pgPort, config.pgDatabase, fn);

function mounted(): boolean {
  return fs.readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === mountPoint());
}

async function moveAll(from: string, to: string): Promise<void> {
  await superuser(async (c) => {
    await c.query(`ALTER TABLE ALL IN TABLESPACE ${sqlIdent(from)} OWNED BY ${sqlIdent(config.pgUser)} SET TABLESPACE ${sqlIdent(to)}`);
    await c.query(`ALTER INDEX ALL IN TABLESPACE ${sqlIdent(from)} OWNED BY ${sqlIdent(config.pgUser)} SET TABLESPACE ${sqlIdent(to)}`);
  });
}

export async function prepareSmallDisk(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the disk-full scenario mounts a tmpfs: run it as root');
  await removeSmallDisk(); // what an interrupted run left
  const bytes = await superuser(async (c) => Number((await c.query(
    `SELECT coalesce(sum(pg_relation_size(c.oid)), 0)::bigint AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
      WHERE r.rolname = $1 AND c.relkind IN ('r', 'i', 't') AND c.reltablespace = 0`, [config.pgUser])).rows[0].n));
  const size = Math.ceil((bytes + HEADROOM) / 1048576);
  fs.mkdirSync(mountPoint(), { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}m,mode=0700`, 'tmpfs', mountPoint()]);
  const runAs = postgresRunAs();
  if (runAs) fs.chownSync(mountPoint(), runAs.uid, runAs.gid);
  await superuser((c) => c.query(`CREATE TABLESPACE ${sqlIdent(TABLESPACE)} OWNER ${sqlIdent(config.pgUser)} LOCATION '${mountPoint().replace(/'/g, "''")}'`));
  await moveAll('pg_default', TABLESPACE);
}

/** Fills the file system to the last byte; returns how much was written. */
export async function fillDisk(): Promise<number> {
  const fd = fs.openSync(filler(), 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  let written = 0;
  try {
    for (let size = chunk.length; size >= 512;) {
      try {
        written += fs.writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

export async function freeDisk(): Promise<void> {
  fs.rmSync(filler(), { force: true });
}

/** Moves the tables back to the default tablespace, drops the small one and unmounts it. Idempotent. */
export async function removeSmallDisk(): Promise<void> {
  await freeDisk();
  const exists = await superuser(async (c) => (await c.query('SELECT 1 FROM pg_tablespace WHERE spcname = $1', [TABLESPACE])).rowCount === 1);
  if (exists) {
    await moveAll(TABLESPACE, 'pg_default');
    await superuser((c) => c.query(`DROP TABLESPACE ${sqlIdent(TABLESPACE)}`));
  }
  if (mounted()) execFileSync('umount', [mountPoint()]);
}
