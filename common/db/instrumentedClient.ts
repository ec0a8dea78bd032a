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

type Query = (this: Client, ...args: unknown[]) => unknown;

/**
 * A Client class whose statements are labelled pool=<poolName>. Its `query` takes every overload
 * of pg's (text or config, values, callback, or a submittable), so it is set on the prototype
 * with pg's overloaded type rather than declared with one signature of its own.
 */
export function instrumentedClient(poolName: string): typeof Client {
  const base = Client.prototype.query as unknown as Query;
  const query: Query = function (this: Client, ...args: unknown[]): unknown {
    const run = (...a: unknown[]) => base.apply(this, a);
    const [config, values, callback] = args;
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
  };
  class InstrumentedClient extends Client {}
  InstrumentedClient.prototype.query = query as unknown as Client['query'];
  return InstrumentedClient;
}
