// Scenario 5: soak. The mixed workload (lib/workload.js) at a moderate fixed RATE for DURATION,
// with half of the creates carrying a reminder 30 s ahead (so reminders fire and emails go out
// all along) and DEVICES sockets listening. The runner samples every process's memory, the
// consumer lag and the outbox size meanwhile, and looks for growth. Goals: seed SLA API
// p95 < 500 ms; no failures; device sync < 2 s.
import exec from 'k6/execution';
import { Trend } from 'k6/metrics';
import { data, reportEndpoints, SUMMARY_TREND_STATS, withGoals } from './lib/api.js';
import { openDevices, sliceFor } from './lib/devices.js';
import { MIXED_ENDPOINTS, mixedIteration } from './lib/workload.js';
export { handleSummary } from './lib/summary.js';

const DURATION_S = Number(__ENV.DURATION_S || 1800);
const RATE = Number(__ENV.RATE || 30);
const DEVICES = Math.min(Number(__ENV.DEVICES || 50), data.users.length);
const sync = new Trend('soak_sync_ms', true);

export const options = {
  summaryTrendStats: SUMMARY_TREND_STATS,
  scenarios: {
    users: { executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: `${DURATION_S}s`, preAllocatedVUs: 16, maxVUs: 128, exec: 'user' },
    devices: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: `${DURATION_S + 60}s`, exec: 'devices' },
  },
  thresholds: withGoals(reportEndpoints(MIXED_ENDPOINTS), {
    http_req_duration: ['p(95)<500'], // seed SLA
    http_req_failed: ['rate<0.01'],
    soak_sync_ms: ['p(99)<2000'], // seed SLA: sync < 2 s
  }),
};

export function user() {
  mixedIteration(data.users, { reminderInMs: Math.random() < 0.5 ? 30_000 : 0 });
}

export function devices() {
  const closeAt = Date.now() + DURATION_S * 1000 + 2000 - exec.instance.currentTestRunDuration;
  openDevices(sliceFor(data.users, 0, DEVICES).map((user) => ({
    user,
    onEvent: (e, now) => {
      if (e.type === 'task.created') sync.add(now - Date.parse(e.time));
      return false;
    },
  })), closeAt);
}
