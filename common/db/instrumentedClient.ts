/**
 * pg's Client with every statement timed into db_query_duration_seconds. A pool opens its
 * connections with this class (the Pool option `Client`), so every statement of a service is
 * measured, pool.query's and transactions' alike, with no change where queries are made.
 * Cursors and streams (submittables) pass through untimed.
 */
import { Client } from 'pg';
import { dbQueryDuration } from '../metrics';

const KINDS = new Set(['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback']);

const MAIN_KINDS = new Set(['select', 'insert', 'update', 'delete']);

/** The first word outside parentheses and quotes after a WITH: the statement the CTEs serve. */
function mainStatementAfterWith(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /[A-Za-z]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(text[i - 1]))) {
      const word = /^[A-Za-z]+/.exec(text.slice(i))?.[0].toLowerCase() ?? '';
      if (MAIN_KINDS.has(word)) return word;
      i += word.length - 1;
    }
  }
  return undefined;
}

/**
 * The statement's kind from its first keyword, one of a fixed set so that the label stays small;
 * a WITH statement is the kind of the statement its CTEs serve (a create is one WITH … INSERT).
 */
export function statementKind(text: unknown): string {
  if (typeof text !== 'string') return 'other';
  const first = /^[\s(]*([A-Za-z]+)/.exec(text);
  const word = first?.[1]?.toLowerCase();
  if (word === 'with') return mainStatementAfterWith(text.slice(first![0].length)) ?? 'other';
  return word !== undefined && KINDS.has(word) ? word : 'other';
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
