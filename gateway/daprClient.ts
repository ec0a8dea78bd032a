/**
 * Calls through the gateway's own Dapr sidecar: actor methods (Dapr's HTTP actor API) and service
 * invocation of the subscribers. The W3C traceparent is passed on so Dapr's traces join up.
 */
import { config, SERVICE_APP_IDS } from '../common/config';
import { USER_ACTOR_TYPE, type ActorResult, type UserActorMethod } from '../common/actorApi';
import { ApiError } from './errors';

const base = () => `http://127.0.0.1:${config.daprHttpPort}`;

async function daprFetch(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(config.actorCallTimeoutMs) });
  } catch (err) {
    throw new ApiError(503, 'unavailable', `${what} is not reachable right now; try again`, [], { 'Retry-After': '1' });
  }
}

export async function invokeActor<R extends ActorResult<unknown>>(userId: string, method: UserActorMethod, body: unknown, traceparent?: string): Promise<R> {
  const url = `${base()}/v1.0/actors/${USER_ACTOR_TYPE}/${encodeURIComponent(userId)}/method/${method}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (traceparent) headers.traceparent = traceparent;
  const res = await daprFetch(url, { method: 'POST', headers, body: JSON.stringify(body) }, 'the task service');
  const text = await res.text();
  if (!res.ok) {
    throw new ApiError(503, 'unavailable', 'the task service could not answer; try again', [], { 'Retry-After': '1' });
  }
  return JSON.parse(text) as R;
}

export async function invokeSubscribers<T>(path: string, traceparent?: string): Promise<T> {
  const url = `${base()}/v1.0/invoke/${SERVICE_APP_IDS.subscribers}/method/${path}`;
  const headers: Record<string, string> = {};
  if (traceparent) headers.traceparent = traceparent;
  const res = await daprFetch(url, { headers }, 'the audit service');
  if (res.status === 400) {
    const body = (await res.json()) as { error: { message: string; details: [] } };
    throw new ApiError(400, 'invalid_input', body.error.message, body.error.details);
  }
  if (!res.ok) throw new ApiError(503, 'unavailable', 'the audit service could not answer; try again', [], { 'Retry-After': '1' });
  return (await res.json()) as T;
}

export async function sidecarHealthy(): Promise<boolean> {
  try {
    const res = await fetch(`${base()}/v1.0/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.status === 204 || res.ok;
  } catch {
    return false;
  }
}
