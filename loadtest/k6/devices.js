// Scenario 4: many WebSocket devices connected while writes go on. DEVICES_PER_USER sockets for
// each of data.users stay open on /v1/stream; from 3 s on, writers create tasks for those users
// at RATE per second. Each create's title carries its send time, so every device that receives the
// task.created computes write→device latency (request start to arrival on the socket). The runner
// compares the events received with the acknowledged writes × devices per user.
// Goals: issue 5 device p99 ≤ 100 ms; seed SLA sync < 2 s.
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { createTask, data, pick, reportEndpoints, SUMMARY_TREND_STATS, withGoals } from './lib/api.js';
import { openDevices, sliceFor } from './lib/devices.js';
export { handleSummary } from './lib/summary.js';

const DEVICES_PER_USER = Number(__ENV.DEVICES_PER_USER || 2);
const SOCKETS_PER_VU = 100;
const WRITE_SECONDS = Number(__ENV.WRITE_SECONDS || 20);
const RATE = Number(__ENV.RATE || 50);
const CONNECT_SECONDS = 3;
const DRAIN_SECONDS = 4;
const latency = new Trend('device_latency_ms', true);
// From the event's own time (the actor built it, just before its commit) to the device: the share
// of the latency after the write (outbox → Kafka → the gateway's consumer → socket).
const fromEvent = new Trend('device_event_latency_ms', true);
const events = new Counter('device_events');
const writes = new Counter('device_writes_ok');
const sockets = data.users.flatMap((user) => Array.from({ length: DEVICES_PER_USER }, () => user));

export const options = {
  summaryTrendStats: SUMMARY_TREND_STATS,
  scenarios: {
    devices: {
      executor: 'per-vu-iterations', vus: Math.ceil(sockets.length / SOCKETS_PER_VU), iterations: 1,
      maxDuration: `${CONNECT_SECONDS + WRITE_SECONDS + DRAIN_SECONDS + 30}s`, exec: 'devices',
    },
    writers: {
      executor: 'constant-arrival-rate', rate: RATE, timeUnit: '1s', duration: `${WRITE_SECONDS}s`, startTime: `${CONNECT_SECONDS}s`,
      preAllocatedVUs: 16, maxVUs: 64, exec: 'write',
    },
  },
  thresholds: withGoals(reportEndpoints(['create']), {
    device_latency_ms: ['p(99)<=100', 'max<2000'], // issue 5; seed SLA: sync < 2 s
    device_event_latency_ms: ['max>=0'],
    'http_req_failed{endpoint:create}': ['rate<0.01'],
    device_socket_errors: ['count==0'],
    device_events: ['count>0'],
    device_writes_ok: ['count>0'],
    device_sockets_opened: [`count>=${sockets.length}`],
  }),
};

export function devices() {
  const closeAt = Date.now() + (CONNECT_SECONDS + WRITE_SECONDS + DRAIN_SECONDS) * 1000 - exec.instance.currentTestRunDuration;
  openDevices(sliceFor(sockets, exec.scenario.iterationInTest, SOCKETS_PER_VU).map((user) => ({
    user,
    onEvent: (e, now) => {
      if (e.type !== 'task.created') return false;
      const m = /^dev:(\d+)$/.exec(e.data.task.title || '');
      if (!m) return false;
      latency.add(now - Number(m[1]));
      fromEvent.add(now - Date.parse(e.time));
      events.add(1);
      return false;
    },
  })), closeAt);
}

export function write() {
  const u = pick(data.users);
  const res = createTask(u, { title: `dev:${Date.now()}`, priority: 'low' });
  if (check(res, { 'create 201': (x) => x.status === 201 })) writes.add(1);
}
