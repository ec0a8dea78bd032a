/**
 * pg's Client with every statement timed into db_query_duration_seconds and, inside a trace that
 * is being recorded, made a span of that trace. A pool opens its connections with this class (the
 * Pool option `Client`), so every statement of a service is measured, pool.query's and
 * transactions' alike, with no change where queries are made. Cursors and streams (submittables)
 * pass through untimed.
 *
 * The span is made here rather than by @opentelemetry/instrumentation-pg: that instrumentation
 * wraps every statement and its callbacks even when the request is not sampled (9 in 10 are not,
 * with the chart's TRACING_SAMPLING_RATE of 0.1), and this wrapper already sees every statement.
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { Client } from 'pg';
import { dbQueryDuration } from '../metrics';
import { childSpanIfRecorded, SpanKind } from '../traceContext';

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

/**
 * The statement's span inside a recorded trace (none otherwise), named and tagged as
 * OpenTelemetry's database conventions say: `<OPERATION> <database>`.
 */
function statementSpan(client: Client, kind: string, text: unknown): Span | undefined {
  const c = client as unknown as { database?: string; host?: string; port?: number };
  const operation = kind === 'other' ? undefined : kind.toUpperCase();
  return childSpanIfRecorded([operation, c.database].filter(Boolean).join(' ') || 'postgresql', SpanKind.CLIENT, {
    'db.system.name': 'postgresql',
    'db.namespace': c.database,
    'db.operation.name': operation,
    'db.query.text': typeof text === 'string' ? text : undefined,
    'server.address': c.host,
    'server.port': c.port,
  });
}

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
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    const kind = statementKind(text);
    const end = dbQueryDuration.startTimer({ pool: poolName, operation: kind });
    const span = statementSpan(this, kind, text);
    const done = (err: unknown) => {
      end({ outcome: err ? 'error' : 'ok' });
      if (!span) return;
      if (err) span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      span.end();
    };
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
