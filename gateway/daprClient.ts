/**
 * Calls through the gateway's own Dapr sidecar: actor methods (Dapr's HTTP actor API) and service
 * invocation of the subscribers. The W3C traceparent is passed on so Dapr's traces join up.
 */
import { config, SERVICE_APP_IDS } from '../common/config';
import { actorMethodPath, type RequestOf, type ResultMethod, type ResultOf } from '../common/actorApi';
import { daprRequest, type HttpResult } from '../common/httpClient';
import { createLogger } from '../common/logger';
import { ApiError } from './errors';

const log = createLogger('todo-gateway');

const unavailable = (what: string) => new ApiError(503, 'unavailable', `${what} could not answer; try again`, [], { 'Retry-After': '1' });

async function dapr(method: string, path: string, what: string, body?: unknown, traceparent?: string): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (traceparent) headers.traceparent = traceparent;
  try {
    return await daprRequest({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: config.actorCallTimeoutMs });
  } catch (err) {
    log.warn('no answer from Dapr', { what, path: path.split('?')[0], err: String(err) });
    throw unavailable(what);
  }
}

/** Calls a method of this user's UserActor: the request and the answer are typed by UserActorApi (common/actorApi.ts). */
export async function invokeActor<M extends ResultMethod>(userId: string, method: M, body: RequestOf<M>, traceparent?: string): Promise<ResultOf<M>> {
  const res = await dapr('POST', actorMethodPath(userId, method), 'the task service', body, traceparent);
  if (res.status !== 200) {
    log.warn('actor call failed in Dapr', { userId, method, status: res.status, body: res.body.slice(0, 500) });
    throw unavailable('the task service');
  }
  return JSON.parse(res.body) as ResultOf<M>;
}

export async function invokeSubscribers<T>(path: string, traceparent?: string, method = 'GET', body?: unknown, what = 'the audit service'): Promise<T> {
  const res = await dapr(method, `/v1.0/invoke/${SERVICE_APP_IDS.subscribers}/method/${path}`, what, body, traceparent);
  if (res.status === 400 || res.status === 404 || res.status === 409) {
    const parsed = JSON.parse(res.body) as { error?: { code?: string; message?: string; details?: [] } };
    if (parsed.error?.message) {
      const code = res.status === 400 ? 'invalid_input' : res.status === 404 ? 'not_found' : 'conflict';
      throw new ApiError(res.status, code, parsed.error.message, parsed.error.details ?? []);
    }
  }
  if (res.status !== 200) {
    log.warn('service call failed in Dapr', { path: path.split('?')[0], status: res.status, body: res.body.slice(0, 500) });
    throw unavailable(what);
  }
  return JSON.parse(res.body) as T;
}

export async function sidecarHealthy(): Promise<boolean> {
  try {
    const res = await daprRequest({ method: 'GET', path: '/v1.0/healthz', timeoutMs: 2000 });
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}
