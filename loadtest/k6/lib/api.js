// The REST API as the k6 scripts call it: every request carries the user's Bearer token and is
// tagged with its endpoint (create, list, get, complete, chat, …), so thresholds and figures can be
// per endpoint. The run's data (users, tokens, seeded task ids, URLs) comes from the JSON file the
// runner (loadtest/suite) writes, named by BENCH_DATA.
//
// The same scripts drive the Restate peer of the peer bench (loadtest/peer, `npm run bench -- --peer`)
// when the data says `target: "peer"`: a create and a list then go to the peer's ingress,
// POST {baseUrl}/TodoUser/{user id}/create with the same body, and POST …/list with {limit}; the
// peer answers a create with 200 where the gateway answers 201 (CREATED).
import http from 'k6/http';

export const data = JSON.parse(open(__ENV.BENCH_DATA));
export const BASE = data.baseUrl;
export const PEER = data.target === 'peer';
/** The status of an acknowledged create. */
export const CREATED = PEER ? 200 : 201;

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

/** A create as a request of http.batch (or http.request), to this system's gateway or to the peer. */
export function createRequest(user, body, endpoint) {
  const headers = { 'content-type': 'application/json' };
  if (!PEER) headers.authorization = `Bearer ${user.token}`;
  const url = PEER ? `${BASE}/TodoUser/${encodeURIComponent(user.id)}/create` : `${BASE}/v1/tasks`;
  return { method: 'POST', url, body: JSON.stringify(body), params: { headers, tags: { endpoint, name: PEER ? 'POST /TodoUser/{user}/create' : 'POST /v1/tasks' }, timeout: '30s' } };
}

/** A call of one of the peer's handlers on a user's virtual object (POST with a JSON body). */
export function peerRequest(user, handler, body, endpoint) {
  return { method: 'POST', url: `${BASE}/TodoUser/${encodeURIComponent(user.id)}/${handler}`, body: JSON.stringify(body), params: { headers: { 'content-type': 'application/json' }, tags: { endpoint, name: `POST /TodoUser/{user}/${handler}` }, timeout: '30s' } };
}

const send = (r) => http.request(r.method, r.url, r.body, r.params);
export const createTask = (user, body, endpoint = 'create') => send(createRequest(user, body, endpoint));
export const listTasks = (user, limit) => (PEER ? send(peerRequest(user, 'list', { limit }, 'list')) : call('GET', `/v1/tasks?limit=${limit}&sort=createdAt`, user, undefined, 'list', 'GET /v1/tasks'));
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
