/**
 * Traces end to end on the real stack: a create's trace in Zipkin holds the spans of the gateway,
 * of both sidecars on the way (the gateway's daprd and the actor host's), of the actor host (its
 * request, its PostgreSQL statements, the outbox publish) and of the audit consumer; the event's
 * traceId is that trace's id, and the answers name the trace (`traceparent`, `Server-Timing`). A
 * reminder's firing starts a trace that reaches the span of its email.
 *
 * daprd's spans carry the service name of their app id, as the services' own spans do, and tags of
 * their own (`dapr.api`, `dapr.protocol`), which tell them apart.
 */
import assert from 'node:assert/strict';
import { config, SERVICE_APP_IDS } from '../common/config';
import { api, eventually, sinkInbox, tokenFor, uniqueUser } from './testSupport';

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

async function trace(traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`http://127.0.0.1:${config.zipkinPort}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  return res.status === 200 ? ((await res.json()) as ZipkinSpan[]) : [];
}

/** Who made a span: `<app id>` for our services' OpenTelemetry spans, `daprd <app id>` for a sidecar's. */
const maker = (s: ZipkinSpan): string => `${s.tags?.['dapr.api'] || s.tags?.['dapr.protocol'] ? 'daprd ' : ''}${s.localEndpoint?.serviceName ?? '?'}`;

const traceIdOf = (traceparent: string | null): string => {
  const m = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(traceparent ?? '');
  assert.ok(m, `a W3C traceparent: ${traceparent}`);
  return m[1];
};

describe('traces end to end, in Zipkin', function () {
  this.timeout(180_000);

  it("a create's trace holds spans of the gateway, both sidecars, the actor host (its statements and the outbox publish) and the audit consumer, the requests named by route; the event's traceId is the trace's id", async () => {
    const user = uniqueUser('trace');
    const token = await tokenFor(user);
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'find my trace' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const traceId = traceIdOf(created.headers.get('traceparent'));
    assert.equal(created.headers.get('server-timing'), `traceparent;desc="${created.headers.get('traceparent')}"`);

    const audit = await eventually(async () => {
      const r = await api('GET', '/v1/audit', { token });
      return r.status === 200 && r.body.items.length > 0 ? r.body.items : undefined;
    }, 30_000, 'the audit entry');
    assert.equal(audit[0].type, 'task.created');
    assert.equal(audit[0].traceId, traceId, "the event's traceId is the request's trace id");

    const want = [SERVICE_APP_IDS.gateway, `daprd ${SERVICE_APP_IDS.gateway}`, `daprd ${SERVICE_APP_IDS.actors}`, SERVICE_APP_IDS.actors, SERVICE_APP_IDS.subscribers];
    const spans = await eventually(async () => {
      const s = await trace(traceId);
      const makers = new Set(s.map(maker));
      const audited = s.some((x) => x.name === 'audit task.created' && x.kind === 'CONSUMER');
      return want.every((w) => makers.has(w)) && audited && s.some((x) => x.name.startsWith('publish ')) ? s : undefined;
    }, 60_000, `spans of ${want.join(', ')} in trace ${traceId}`);
    const makers = new Set(spans.map(maker));
    for (const w of want) assert.ok(makers.has(w), `a span of ${w}; the trace has ${[...makers].join(', ')}`);
    const statements = spans.filter((s) => maker(s) === SERVICE_APP_IDS.actors && s.tags?.['db.system.name'] === 'postgresql');
    assert.ok(statements.some((s) => /^insert /i.test(s.name) && /INSERT INTO tasks/i.test(s.tags?.['db.query.text'] ?? '')), `the actor host's INSERT of the task, with its text; statements: ${statements.map((s) => s.name).join(', ')}`);
    // Server spans are named by route (Zipkin lower-cases names), by the services themselves.
    const named = (service: string, route: string) => spans.some((s) => maker(s) === service && s.kind === 'SERVER' && s.name.toLowerCase() === route.toLowerCase() && s.tags?.['http.route'] !== undefined);
    // The route as http_request_duration_seconds labels it: the tasks router's '/' under /v1/tasks.
    assert.ok(named(SERVICE_APP_IDS.gateway, 'POST /v1/tasks/'), "the gateway's request span is named by its route");
    assert.ok(named(SERVICE_APP_IDS.actors, 'PUT /actors/:actorTypeName/:actorId/method/:methodName'), "the actor host's request span is named by its route");
    const publish = spans.find((s) => s.name === 'publish task-events' && s.kind === 'PRODUCER');
    assert.ok(publish, 'the outbox publish to task-events');
    const auditSpan = spans.find((s) => s.name === 'audit task.created')!;
    assert.equal(auditSpan.parentId, publish.id, 'the audit consumer\'s span is a child of the publish (the traceparent in the Kafka headers)');
    const roots = spans.filter((s) => !s.parentId || !spans.some((p) => p.id === s.parentId));
    assert.deepEqual(roots.map(maker), [SERVICE_APP_IDS.gateway], 'one tree, rooted at the gateway\'s request');
  });

  it('GET /v1/tasks/{id} answers with the traceparent of its own trace, continuing the one a caller sends', async () => {
    const user = uniqueUser('trace-get');
    const token = await tokenFor(user);
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'get my trace' } });
    const mine = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const got = await api('GET', `/v1/tasks/${created.body.id}`, { token, headers: { traceparent: mine } });
    assert.equal(got.status, 200);
    assert.equal(traceIdOf(got.headers.get('traceparent')), '0af7651916cd43dd8448eb211c80319c');
    assert.match(got.headers.get('server-timing') ?? '', /^traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01"$/);
  });

  it("a reminder's firing starts a trace that reaches the span of its email", async () => {
    const user = uniqueUser('trace-remind');
    const email = `${user}@example.com`;
    const token = await tokenFor(user, email);
    const created = await api('POST', '/v1/tasks', { token, body: { title: 'remind me, traced', due: new Date(Date.now() + 3_600_000).toISOString(), reminders: [{ at: new Date(Date.now() + 2000).toISOString() }] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually(async () => ((await sinkInbox(email)).length > 0 ? true : undefined), 60_000, 'the reminder email');
    const due = await eventually(async () => {
      const r = await api('GET', '/v1/audit', { token });
      return r.status === 200 ? r.body.items.find((e: { type: string }) => e.type === 'reminder.due') : undefined;
    }, 30_000, 'the reminder.due in the audit');
    assert.ok(due.traceId && due.traceId !== traceIdOf(created.headers.get('traceparent')), 'the firing has a trace of its own');
    const spans = await eventually(async () => {
      const s = await trace(due.traceId);
      return s.some((x) => x.name === 'send reminder email') && s.some((x) => x.name === 'notifications reminder.due') ? s : undefined;
    }, 60_000, `the email's span in trace ${due.traceId}`);
    assert.ok(spans.some((s) => maker(s) === SERVICE_APP_IDS.actors), 'the actor host handled the firing in that trace');
  });
});
