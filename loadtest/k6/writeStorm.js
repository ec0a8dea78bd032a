// Scenario 2: a write storm. VUS writers in a loop, each iteration creates a task and completes it.
// MODE=storm: every writer on the same few users (data.users has 4), so each UserActor gets many
// concurrent calls and Dapr runs them one turn at a time; MODE=spread: the same writers over many
// users (the baseline for the storm/spread ratio). The runner checks afterwards, in PostgreSQL,
// that every acknowledged create and complete is there (no write lost or doubled by concurrency).
// Goals: issue 3 creates ≥ 1,000/s with p99 ≤ 25 ms; no failed write.
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { completeTask, createTask, data, pick, reportEndpoints, SUMMARY_TREND_STATS, withGoals } from './lib/api.js';
export { handleSummary } from './lib/summary.js';

const DURATION = __ENV.DURATION || '15s';
const VUS = Number(__ENV.VUS || 32);
const created = new Counter('storm_created');
const completed = new Counter('storm_completed');

export const options = {
  scenarios: { writers: { executor: 'constant-vus', vus: VUS, duration: DURATION } },
  summaryTrendStats: SUMMARY_TREND_STATS,
  thresholds: withGoals(reportEndpoints(['create', 'complete']), {
    'http_reqs{endpoint:create}': ['rate>=1000'], // issue 3
    'http_req_duration{endpoint:create}': ['p(99)<=25'], // issue 3
    http_req_failed: ['rate==0'],
    storm_created: ['count>0'],
  }),
};

export default function () {
  const u = pick(data.users);
  const res = createTask(u, { title: `storm ${__VU}-${__ITER}`, priority: 'high', tags: ['storm'] });
  if (!check(res, { 'create 201': (x) => x.status === 201 })) return;
  created.add(1);
  const done = completeTask(u, res.json('id'));
  if (check(done, { 'complete 200': (x) => x.status === 200 })) completed.add(1);
}
