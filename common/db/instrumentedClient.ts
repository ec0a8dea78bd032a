/**
 * pg's Client with every statement timed into db_query_duration_seconds. A pool opens its
 * connections with this class (the Pool option `Client`), so every statement of a service is
 * measured, pool.query's and transactions' alike, with no change where queries are made.
 * Cursors and streams (submittables) pass through untimed.
 */
import { Client } from 'pg';
import { dbQueryDuration } from '../metrics';

const KINDS = new Set(['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback']);

/** The statement's kind from its first keyword, one of a fixed set so that the label stays small. */
export function statementKind(text: unknown): string {
  if (typeof text !== 'string') return 'other';
  const first = /^[\s(]*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
  return first !== undefined && KINDS.has(first) ? first : 'other';
}

type Callback = (err: Error | null | undefined, res: unknown) => void;

/** A Client class whose statements are labelled pool=<poolName>. */
export function instrumentedClient(poolName: string): typeof Client {
  return class InstrumentedClient extends Client {
    override query(...args: any[]): any {
      const run = super.query.bind(this) as (...a: unknown[]) => any;
      const [config, values, callback] = args as [unknown, unknown, unknown];
      if (config !== null && typeof config === 'object' && typeof (config as { submit?: unknown }).submit === 'function') return run(...args);
      const end = dbQueryDuration.startTimer({ pool: poolName, operation: statementKind(typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text) });
      const done = (err: unknown) => end({ outcome: err ? 'error' : 'ok' });
      if (typeof values === 'function' || typeof callback === 'function') {
        const cb = (typeof values === 'function' ? values : callback) as Callback;
        const timed: Callback = (err, res) => {
          done(err);
          cb(err, res);
        };
        return typeof values === 'function' ? run(config, timed) : run(config, values, timed);
      }
      return (run(config, values) as Promise<unknown>).then((res) => {
        done(undefined);
        return res;
      }, (err: unknown) => {
        done(err);
        throw err;
      });
    }
  };
}
