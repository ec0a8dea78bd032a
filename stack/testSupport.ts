/** Helpers for tests that run against the real local stack: HTTP calls, tokens, unique users, polling. */
import { randomUUID } from 'node:crypto';
import { config } from '../common/config';
import { signDevToken } from '../gateway/auth';

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
