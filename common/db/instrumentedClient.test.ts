import assert from 'node:assert/strict';
import { context, propagation, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { AlwaysOnSampler, InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { Client } from 'pg';
import { instrumentedClient, statementKind } from './instrumentedClient';

describe('the statement kind label of db_query_duration_seconds', () => {
  it('is the first keyword, lower case, whatever the spacing and parentheses', () => {
    assert.equal(statementKind('SELECT 1'), 'select');
    assert.equal(statementKind('\n   insert INTO t VALUES (1)'), 'insert');
    assert.equal(statementKind('(SELECT 1) UNION (SELECT 2)'), 'select');
    assert.equal(statementKind('BEGIN'), 'begin');
    assert.equal(statementKind('COMMIT'), 'commit');
  });

  it('is, for a WITH statement, the kind of the statement its CTEs serve, not of the CTEs', () => {
    assert.equal(statementKind('WITH x AS (SELECT 1) SELECT * FROM x'), 'select');
    assert.equal(statementKind('with a AS (insert into t values (1) returning *), b AS (SELECT \')\' AS p) UPDATE t SET a = 1'), 'update');
    assert.equal(statementKind('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) select n FROM r'), 'select');
    assert.equal(statementKind('WITH profile AS (INSERT INTO users VALUES (1)) INSERT INTO tasks VALUES (2)'), 'insert');
    assert.equal(statementKind('WITH deleted_rows AS (DELETE FROM t) DELETE FROM u'), 'delete');
    assert.equal(statementKind('WITH x AS (SELECT 1) VALUES (1)'), 'other');
    assert.equal(statementKind("WITH x AS (SELECT ')"), 'other');
  });

  it('is "other" for anything else, so the label has a fixed, small set of values', () => {
    assert.equal(statementKind('CREATE TABLE t (a int)'), 'other');
    assert.equal(statementKind(''), 'other');
    assert.equal(statementKind(undefined), 'other');
  });
});

describe("a statement's span", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], sampler: new AlwaysOnSampler() });
  const base = Client.prototype.query;
  let TracedClient: typeof Client;

  before(() => {
    provider.register();
    // pg's own query replaced, so that no server is needed: it answers, or fails for text 'FAIL'.
    Client.prototype.query = function (text: unknown) {
      return text === 'FAIL' ? Promise.reject(new Error('relation does not exist')) : Promise.resolve({ rows: [], rowCount: 0 });
    } as unknown as Client['query'];
    TracedClient = instrumentedClient('test');
    Client.prototype.query = base;
  });
  after(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  const client = () => new TracedClient({ host: 'db.local', port: 5433, database: 'todo' });

  it('is a client span of the request being recorded, named and tagged as the database conventions say', async () => {
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('request', async (request) => {
      await client().query('SELECT * FROM tasks WHERE user_id = $1', ['u1']);
      request.end();
    });
    const statement = exporter.getFinishedSpans().find((s) => s.name === 'SELECT todo');
    assert.ok(statement, `spans: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
    assert.equal(statement.kind, SpanKind.CLIENT);
    assert.equal(statement.parentSpanContext?.spanId, exporter.getFinishedSpans().find((s) => s.name === 'request')!.spanContext().spanId);
    assert.deepEqual(
      [statement.attributes['db.system.name'], statement.attributes['db.namespace'], statement.attributes['db.query.text'], statement.attributes['server.port']],
      ['postgresql', 'todo', 'SELECT * FROM tasks WHERE user_id = $1', 5433],
    );
  });

  it('is not made outside a request, nor inside one that is not sampled', async () => {
    await client().query('SELECT 1');
    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    await context.with(trace.setSpan(context.active(), unsampled), () => client().query('SELECT 2'));
    assert.deepEqual(exporter.getFinishedSpans().map((s) => s.name), []);
  });

  it('ends with an error status when the statement fails, and the error still reaches the caller', async () => {
    await trace.getTracer('test').startActiveSpan('request', async (request) => {
      await assert.rejects(client().query('FAIL'), /relation does not exist/);
      request.end();
    });
    const statement = exporter.getFinishedSpans().find((s) => s.name === 'todo'); // no operation of the set: named by its database
    assert.equal(statement?.status.code, SpanStatusCode.ERROR);
  });
});
