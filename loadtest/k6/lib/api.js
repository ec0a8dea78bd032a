// The REST API as the k6 scripts call it: every request carries the user's Bearer token and is
// tagged with its endpoint (create, list, get, complete, chat, …), so thresholds and figures can be
// per endpoint. The run's data (users, tokens, seeded task ids, URLs) comes from the JSON file the
// runner (loadtest/suite) writes, named by BENCH_DATA.
import http from 'k6/http';

export const data = JSON.parse(open(__ENV.BENCH_DATA));
export const BASE = data.baseUrl;

/** One request through the gateway; `name` groups URLs with ids in them under one pattern. */
export function call(method, path, user, body, endpoint, name) {
  const params = {
    headers: { authorization: `Bearer ${user.token}` },
    tags: { endpoint, name: name || `${method} ${path.split('?')[0]}` },
    timeout: '30s',
  };
  if (body !== undefined) params.headers['content-type'] = 'application/json';
  return http.request(method, `${BASE}${path}`, body === undefined ? null : JSON.stringify(body), params);
}

export const createTask = (user, body) => call('POST', '/v1/tasks', user, body, 'create');
export const listTasks = (user, limit) => call('GET', `/v1/tasks?limit=${limit}&sort=createdAt`, user, undefined, 'list', 'GET /v1/tasks');
export const getTask = (user, id) => call('GET', `/v1/tasks/${id}`, user, undefined, 'get', 'GET /v1/tasks/{id}');
export const completeTask = (user, id) => call('POST', `/v1/tasks/${id}/complete`, user, {}, 'complete', 'POST /v1/tasks/{id}/complete');
export const chat = (user, message) => call('POST', '/v1/chat', user, { message }, 'chat');

export function pick(xs) {
  return xs[Math.floor(Math.random() * xs.length)];
}

/**
 * Thresholds that only make a tagged submetric appear in the summary (k6 reports a submetric only
 * when a threshold names it); they always pass. Real goals are added beside them by each script.
 */
export function reportEndpoints(endpoints) {
  const t = {};
  for (const e of endpoints) {
    t[`http_req_duration{endpoint:${e}}`] = ['max>=0'];
    t[`http_reqs{endpoint:${e}}`] = ['count>=0'];
    t[`http_req_failed{endpoint:${e}}`] = ['rate>=0'];
  }
  return t;
}

/** Adds goal thresholds to the reporting ones (both lists kept for a metric named twice). */
export function withGoals(report, goals) {
  const t = { ...report };
  for (const [k, v] of Object.entries(goals)) t[k] = [...(t[k] || []).filter((x) => !/>=0$/.test(x)), ...v];
  return t;
}

export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];
