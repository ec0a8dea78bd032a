/**
 * The trace context of the work at hand, through OpenTelemetry's API only (no SDK is loaded here:
 * without `startTracing` of ./tracing.ts every function still works and records nothing). Why
 * Kafka's spans are made here rather than by an instrumentation: ./tracing.ts.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { createHash } from 'node:crypto';
import { config } from './config';

const tracer = () => trace.getTracer('todo-actors');

/** The W3C traceparent of a span context, or undefined when there is no valid one. */
function traceparentOfContext(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The traceparent of the span active now (the request being served), if tracing is on and there is one. */
export function currentTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  return span && trace.isSpanContextValid(span.spanContext()) ? traceparentOfContext(context.active()) : undefined;
}

/** The trace id of the span active now, if any. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span && trace.isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
}

/** Kafka header values are Buffers (consumed) or strings (produced). */
type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

function headerText(h: Headers | undefined, name: string): string | undefined {
  const v = h?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : one.toString();
}

/** The traceparent a Kafka message carries, if any. */
export function traceparentOfHeaders(headers: Headers | undefined): string | undefined {
  return headerText(headers, 'traceparent');
}

function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * A context inside trace `traceId` when only its id is known (a reminder email sent long after its
 * event was consumed). The parent span id is derived from `key`, so it is stable but names no
 * recorded span; the sampled flag is the ratio sampler's decision for this trace id, which is the
 * one the trace's root made when it was started by one of our services.
 */
export function contextOfTraceId(traceId: string | undefined, key: string): Context {
  if (!traceId || !/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId)) return ROOT_CONTEXT;
  const spanId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const sampled = new TraceIdRatioBasedSampler(config.tracingSamplingRate).shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true });
}

/** Runs fn in a span child of `parent` (or a new trace), ending it with fn's outcome. */
export async function inSpan<T>(name: string, kind: SpanKind, parent: Context, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * A span child of the span active now, only when that one is being recorded (the request is
 * sampled): undefined otherwise, at the cost of one look-up. For work done on every request, where
 * a non-recording span would still cost its making.
 */
export function childSpanIfRecorded(name: string, kind: SpanKind, attributes: Record<string, string | number | undefined>): Span | undefined {
  if (!trace.getActiveSpan()?.isRecording()) return undefined;
  return tracer().startSpan(name, { kind, attributes });
}

/** What an Express request (4 or 5) tells of the route it took. */
interface RoutedRequest {
  method: string;
  baseUrl: string;
  route?: { path?: unknown };
}

/** The route pattern an Express request matched (`/v1/tasks/:id`), or 'unmatched'. */
export function routeOf(req: RoutedRequest): string {
  return typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : 'unmatched';
}

/**
 * Express middleware (4 or 5) naming the request's server span, when it is recorded, `<METHOD>
 * <route>` with its http.route (what an instrumentation of the router would do), once the response
 * is finished: routing is done by then, and node:http's instrumentation ends the span later, at 'close'.
 */
export function spanNamedByRoute() {
  return (req: RoutedRequest, res: { on(event: 'finish', fn: () => void): unknown }, next: () => void): void => {
    const span = trace.getActiveSpan();
    if (span?.isRecording()) {
      res.on('finish', () => {
        const route = routeOf(req);
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      });
    }
    next();
  };
}

/**
 * One PRODUCER span per message, each a child of the request that wrote it (`traceparent`), for
 * the duration of `send`; the message's `traceparent` header becomes its span's, so its consumers
 * join the same trace. Without tracing the header keeps the writer's traceparent.
 */
export async function producerSpans<M extends { traceparent: string | null; topic: string; headers: Record<string, string> }>(messages: M[], send: () => Promise<void>): Promise<void> {
  const spans = messages.map((m) => {
    const parent = contextOf(m.traceparent ?? undefined);
    const span = tracer().startSpan(`publish ${m.topic}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': m.topic } }, parent);
    const tp = trace.isSpanContextValid(span.spanContext()) ? traceparentOfContext(trace.setSpan(parent, span)) : undefined;
    if (tp ?? m.traceparent) m.headers.traceparent = (tp ?? m.traceparent)!;
    return span;
  });
  try {
    await send();
  } catch (err) {
    for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
    throw err;
  } finally {
    for (const s of spans) s.end();
  }
}

/**
 * One CONSUMER span per consumed event (`<group> <event type>`), each a child of the span that
 * published it, for the duration of `work` (the batch's processing and commit). A batch of one
 * event runs `work` inside its span, so the statements it makes are that trace's too.
 */
export async function consumerSpans<T>(group: string, topic: string, events: Array<{ type: string; traceparent?: string }>, work: () => Promise<T>): Promise<T> {
  const spans = events.map((e) => tracer().startSpan(`${group} ${e.type}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.consumer.group.name': group },
  }, contextOf(e.traceparent)));
  const ctx = spans.length === 1 ? trace.setSpan(contextOf(events[0].traceparent), spans[0]) : ROOT_CONTEXT;
  try {
    return await context.with(ctx, work);
  } catch (err) {
    for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
    throw err;
  } finally {
    for (const s of spans) s.end();
  }
}

/**
 * Runs a consumer group's work on a Kafka batch inside one consumer span per message, each in the
 * trace of the request that wrote the event (its traceparent header).
 */
export function tracedBatch<T>(group: string, batch: { topic: string; messages: Array<{ headers?: Headers }> }, work: () => Promise<T>): Promise<T> {
  const messages = batch.messages.map((m) => ({ type: headerText(m.headers, 'event-type') ?? 'event', traceparent: traceparentOfHeaders(m.headers) }));
  return consumerSpans(group, batch.topic, messages, work);
}

export { SpanKind };
