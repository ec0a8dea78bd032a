import assert from 'node:assert/strict';
import type { K6Result, K6Summary } from './k6Run';
import { cpuPerRequestByProcess, medianRate, systemFigures } from './peer';

const run = (metrics: K6Summary['metrics'], cores: Record<string, number> = {}): K6Result =>
  ({ summary: { metrics }, exitCode: 0, seconds: 1, cores, memory: {}, command: 'k6 run', log: '' });

describe('the figures of one system in the peer bench', () => {
  const endpoint = (e: string, rate: number): K6Summary['metrics'] => ({
    [`http_reqs{endpoint:${e}}`]: { type: 'counter', values: { rate, count: rate } },
    [`http_req_duration{endpoint:${e}}`]: { type: 'trend', values: { med: 2, 'p(99)': 9, count: rate } },
  });
  const storm = (rateMetric: string) => run({
    reminder_fire_lateness_ms: { type: 'trend', values: { med: 5, 'p(99)': 40, max: 90, count: 10 } },
    [rateMetric]: { type: 'rate', values: { rate: 0.5 } },
  });
  const runs = (rateMetric: string) => ({
    list: [run(endpoint('list', 400), { gateway: 1, k6: 0.5, other: 0.2 })],
    create: [run(endpoint('create', 200), { gateway: 0.5 })],
    createHalf: [run(endpoint('create', 100), { gateway: 0.25 })],
    remind: [run(endpoint('remind', 100), { gateway: 0.25 })],
    storm: [storm(rateMetric)],
  });
  const byId = (fs: ReturnType<typeof systemFigures>) => new Map(fs.map((f) => [f.id, f.runs[0]]));

  it('counts CPU per request over the system processes only, not k6 or the rest of the machine', () => {
    const f = byId(systemFigures('this', runs('reminder_due_delivered')));
    assert.equal(f.get('peer.this.list.cpuMsPerRequest'), 1000 / 400);
    assert.equal(f.get('peer.this.create.cpuMsPerRequest'), 500 / 200);
  });

  it("reads the share fired from the devices for this system and from the peer's own record for the peer", () => {
    assert.equal(byId(systemFigures('this', runs('reminder_due_delivered'))).get('peer.this.storm.fired'), 50);
    assert.equal(byId(systemFigures('peer', runs('reminder_fired'))).get('peer.peer.storm.fired'), 50);
    assert.ok(Number.isNaN(byId(systemFigures('peer', runs('reminder_due_delivered'))).get('peer.peer.storm.fired')));
  });

  it('reads the latency of the half-rate creates from their own runs, not from the full-speed ones', () => {
    const f = byId(systemFigures('this', { ...runs('reminder_due_delivered'), createHalf: [run({ ...endpoint('create', 100), 'http_req_duration{endpoint:create}': { type: 'trend', values: { med: 1, 'p(99)': 4, count: 100 } } })] }));
    assert.equal(f.get('peer.this.createHalf.p99'), 4);
    assert.equal(f.get('peer.this.createHalf.rps'), 100);
    assert.equal(f.get('peer.this.create.p99'), 9);
  });

  it('names both systems\' figures alike, so that the table pairs them', () => {
    const ours = systemFigures('this', runs('reminder_due_delivered')).map((f) => f.id.replace('peer.this.', ''));
    const theirs = systemFigures('peer', runs('reminder_fired')).map((f) => f.id.replace('peer.peer.', ''));
    assert.deepEqual(ours, theirs);
  });
});

describe('the median request rate of some k6 runs', () => {
  const runOf = (rate: number): K6Result => ({ summary: { metrics: { 'http_reqs{endpoint:create}': { type: 'counter', values: { rate, count: rate } } } }, exitCode: 0, seconds: 1, cores: {}, memory: {}, command: 'k6 run', log: '' });
  it('is the middle run of three, whatever their order, and NaN of none', () => {
    assert.equal(medianRate([runOf(300), runOf(100), runOf(200)], 'create'), 200);
    assert.ok(Number.isNaN(medianRate([], 'create')));
  });
});

describe('the CPU per request of each process', () => {
  const runOf = (rate: number, cores: Record<string, number>): K6Result => ({ summary: { metrics: { 'http_reqs{endpoint:list}': { type: 'counter', values: { rate, count: rate } } } }, exitCode: 0, seconds: 1, cores, memory: {}, command: 'k6 run', log: '' });
  it('is each system process\'s cores over the request rate, the median of the runs, without k6 and the rest of the machine', () => {
    const runs = [runOf(100, { gateway: 0.1, actors: 0.3, k6: 0.5, other: 0.2 }), runOf(200, { gateway: 0.4, actors: 0.2 }), runOf(100, { gateway: 0.2, actors: 0.1 })];
    assert.deepEqual(cpuPerRequestByProcess(runs, 'list'), { gateway: 2, actors: 1 });
  });
});
