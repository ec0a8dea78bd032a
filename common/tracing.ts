/**
 * Tracing with OpenTelemetry's Node SDK: every service records its spans and sends them to Zipkin
 * (TRACING_ZIPKIN_URL), sampling TRACING_SAMPLING_RATE of new traces and following the sampled flag
 * of a traceparent that arrives. The instrumentation of node:http makes the spans of incoming
 * requests and of the calls to the Dapr sidecar, and carries the context between them; Dapr's
 * sidecars make theirs and pass the W3C traceparent on.
 *
 * Only what costs nothing when a request is not sampled is instrumented for every request: the
 * PostgreSQL statements get their spans from the pool's Client (./db/instrumentedClient.ts), only
 * inside a recorded trace, and each service names its server spans by route (`spanNamedByRoute`
 * of ./traceContext.ts). OpenTelemetry's Express and pg instrumentations,
 * used before, wrapped every middleware layer and every statement of every request, sampled or not
 * (their cost: loadtest/README.md, "Where the time goes").
 *
 * Kafka is traced here, not by @opentelemetry/instrumentation-kafkajs: the outbox publisher sends
 * the events of many requests in one sendBatch and the consumers read them with eachBatch, and that
 * instrumentation gives all messages of one send the sender's context and makes a consumed batch's
 * spans children of a new "receive" root. Each event instead carries the traceparent of the request
 * that wrote it (outbox column `traceparent`, then the Kafka header `traceparent`), and
 * `producerSpans` and `consumerSpans` (./traceContext.ts) make one span per event in that trace.
 *
 * `startTracing` must run before node:http is loaded: each service's main.ts imports its
 * own `tracing.ts` first.
 */
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { config } from './config';
import { HEALTH_PATHS } from './healthPaths';

/** Requests nobody wants a trace of: probes, scrapes, the sidecar's own health. */
const UNTRACED_PATHS = new Set<string>([HEALTH_PATHS.liveness, HEALTH_PATHS.readiness, '/metrics', '/v1.0/healthz', '/v1.0/healthz/outbound']);

function untraced(url: string | undefined): boolean {
  return UNTRACED_PATHS.has((url ?? '').split('?')[0]);
}

let provider: NodeTracerProvider | undefined;

/** Starts recording this process's spans as `service`; with TRACING_ZIPKIN_URL set to empty it records none and carries no trace context. */
export function startTracing(service: string): void {
  if (provider || !config.tracingZipkinUrl) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracingSamplingRate) }),
    spanProcessors: [new BatchSpanProcessor(new ZipkinExporter({ url: config.tracingZipkinUrl, serviceName: service }), { scheduledDelayMillis: 1000 })],
  });
  provider.register(); // AsyncLocalStorage context, W3C trace context propagation
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => untraced(req.url),
        ignoreOutgoingRequestHook: (req) => untraced(req.path ?? undefined),
      }),
    ],
  });
}

/** Sends the spans still buffered (at shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
  provider = undefined;
}
