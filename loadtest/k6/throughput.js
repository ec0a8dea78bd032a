// One endpoint at full speed (VUS in a loop, no think time), or at RATE requests/s: ENDPOINT=create
// (POST /v1/tasks), list (GET /v1/tasks?limit=20) or remind (a create with one reminder REMINDER_IN_MS ahead, an hour
// by default, so none fires during the run). The runner uses it for the 1 → 2 actor-host
// comparison and, with the same requests sent to the Restate peer (lib/api.js), for the peer bench.
// Goals: issue 3 creates ≥ 1,000/s p99 ≤ 25 ms; lists ≥ 3,000/s p99 ≤ 10 ms.
import { check } from 'k6';
import { CREATED, createTask, data, listTasks, pick, reportEndpoints, SUMMARY_TREND_STATS, withGoals } from './lib/api.js';
export { handleSummary } from './lib/summary.js';

const ENDPOINT = __ENV.ENDPOINT || 'create';
const REMINDER_IN_MS = Number(__ENV.REMINDER_IN_MS || 3600000);
const VUS = Number(__ENV.VUS || 32);
const DURATION = __ENV.DURATION || '10s';
// RATE=n: n requests per second whatever the answers take (an open model), instead of VUS in a loop;
// the peer bench sends creates at half the maximum it measured. Goal (issue 19): create p99 ≤ 25 ms there.
const RATE = Number(__ENV.RATE || 0);
const GOALS =
  RATE > 0
    ? { create: { 'http_req_duration{endpoint:create}': ['p(99)<=25'] } }
    : {
        create: { 'http_reqs{endpoint:create}': ['rate>=1000'], 'http_req_duration{endpoint:create}': ['p(99)<=25'] },
        list: { 'http_reqs{endpoint:list}': ['rate>=3000'], 'http_req_duration{endpoint:list}': ['p(99)<=10'] },
      };

export const options = {
  scenarios: {
    [ENDPOINT]:
      RATE > 0
        ? { executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: DURATION, preAllocatedVUs: VUS, maxVUs: VUS * 4 }
        : { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: withGoals(reportEndpoints([ENDPOINT]), { ...(GOALS[ENDPOINT] || {}), http_req_failed: ['rate<0.01'] }),
};

export default function () {
  const u = pick(data.users);
  if (ENDPOINT === 'list') check(listTasks(u, 20), { 'list 200': (x) => x.status === 200 });
  else if (ENDPOINT === 'remind') {
    const body = { title: 'throughput with a reminder', priority: 'low', reminders: [{ at: new Date(Date.now() + REMINDER_IN_MS).toISOString() }] };
    check(createTask(u, body, 'remind'), { 'create acknowledged': (x) => x.status === CREATED });
  } else check(createTask(u, { title: 'throughput', priority: 'low' }), { 'create acknowledged': (x) => x.status === CREATED });
}
