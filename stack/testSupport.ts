/** Helpers for tests that run against the real local stack: HTTP calls, tokens, unique users, polling. */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { config } from '../common/config';
import { signDevToken } from '../gateway/auth';
import { DAPR_TOKEN_HEADER } from '../common/daprAccess';
import { stackCredentials, type Service } from './credentials';
import { sidecars } from './services';
import { actAsLocalKafkaAdmin } from './kafka/security';
import { isAlive, stopProcess } from './processes';
import { up } from './stack';
import { readState } from './stackState';

// Kafka clients of tests (createKafka) are the local stack's admin: nobody sets credentials by hand.
actAsLocalKafkaAdmin();

export const gatewayUrl = (): string => `http://127.0.0.1:${config.gatewayPort}`;

/** A user id no other test run has used, so tests never see each other's data. */
export function uniqueUser(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export async function tokenFor(userId: string, email?: string, extra: Record<string, unknown> = {}): Promise<string> {
  return signDevToken(userId, email, 3600, extra);
}

/**
 * A response body as the stack tests read it: whatever JSON the endpoint sent, navigated without
 * declaring its shape (`res.body.items[0].id`); a test that needs the shape passes it as `api<T>`.
 * The stack tests' one `any`: typing every read of every response would rewrite them all.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stack tests' untyped JSON bodies, as said above
export type JsonBody = any;

export interface ApiResponse<T = JsonBody> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = JsonBody>(method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${gatewayUrl()}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Polls fn until it returns a value other than undefined, or fails with the last error after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs fn on every item, at most `workers` at a time (tests and benches that load the stack). */
export async function inParallel<T>(items: readonly T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/**
 * The header a test needs to call a service's Dapr sidecar directly (its HTTP API answers only
 * with the service's DAPR_API_TOKEN, which the stack made: stack/credentials.ts).
 */
export function sidecarHeaders(service: Service): Record<string, string> {
  return { [DAPR_TOKEN_HEADER]: stackCredentials()[service].daprToken };
}

/** The header daprd sends a service's app port (APP_API_TOKEN), for tests that play the sidecar. */
export function appHeaders(service: Exclude<Service, 'gateway'>): Record<string, string> {
  return { [DAPR_TOKEN_HEADER]: stackCredentials()[service].appToken };
}

/** GET /metrics of a service (its metrics port, common/opsServer.ts): the text, or an error on a non-200. */
export async function serviceMetrics(service: Service): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${sidecars()[service].appMetricsPort}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /metrics of ${service} answered ${res.status}`);
  return res.text();
}

/** URL of a service's Dapr sidecar HTTP API (send sidecarHeaders(service) with it). */
export const sidecarUrl = (service: Service, path: string): string => `http://127.0.0.1:${sidecars()[service].httpPort}${path}`;

/** The local Prometheus' answer to an instant query: its series, or the error Prometheus gave. */
export async function promQuery(expr: string): Promise<{ ok: true; series: Array<{ metric: Record<string, string>; value: [number, string] }> } | { ok: false; error: string }> {
  const res = await fetch(`http://127.0.0.1:${config.prometheusPort}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(15_000) });
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (body.status !== 'success') return { ok: false, error: body.error ?? `HTTP ${res.status}` };
  const r = body.data!.result;
  return { ok: true, series: body.data!.resultType === 'vector' || body.data!.resultType === 'matrix' ? (r as Array<{ metric: Record<string, string>; value: [number, string] }>) : [{ metric: {}, value: r as [number, string] }] };
}

/** Emails the SMTP sink received for `to`. */
export async function sinkInbox(to: string): Promise<Array<{ to: string[]; subject: string; text: string; receivedAt: string }>> {
  const res = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(to)}`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as Array<{ to: string[]; subject: string; text: string; receivedAt: string }>;
}

/** A frame on the stream: an event (task.created …) or a control frame (stream.replayed, stream.resync). */
export type Frame = { type: string; eventId?: string; taskId?: string; reason?: string; message?: string; [field: string]: unknown };
/** An event frame, with the fields of the events the tests read. */
export type EventFrame = Frame & { userId: string; taskId: string; data: { reminderId?: string; firedAt: string; dueEventId?: string; reason?: string; task: { title: string } } };

/** A device on the stream (GET /v1/stream): every frame it received, events and control frames, in order. */
export interface Device {
  ws: WebSocket;
  frames: Frame[];
  events: () => EventFrame[];
}

export const streamUrl = (q = ''): string => `ws://127.0.0.1:${config.gatewayPort}/v1/stream${q}`;

/** Connects a device to the stream; rejects with the status and body when the upgrade is refused. */
export function device(u: string, headers: Record<string, string> = {}): Promise<Device> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(u, { headers });
    const frames: Frame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    ws.once('open', () => resolve({ ws, frames, events: () => frames.filter((f) => !String(f.type).startsWith('stream.')) as EventFrame[] }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Error(`upgrade refused: ${res.statusCode} ${body}`)));
    });
    ws.once('error', reject);
  });
}

/** Restarts the subscribers with these settings added to their environment (none: as configured). */
export async function restartSubscribers(env: Record<string, string>): Promise<void> {
  const rec = readState()?.processes.find((p) => p.name === 'subscribers');
  if (rec && isAlive(rec)) await stopProcess(rec, 'SIGTERM', 30_000);
  Object.assign(process.env, env);
  try {
    await up(); // the services inherit this process's environment
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}
