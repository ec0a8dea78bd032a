import assert from 'node:assert/strict';
import { figure } from './figures';
import { coresLine, cpuLine, cpuTable, formatRatio, peerRows, peerTable } from './peerReport';

describe('the peer bench table', () => {
  const figures = [
    figure('peer.this.create.rps', 'creates/s', 'req/s', [300, 320, 310]),
    figure('peer.this.create.p99', 'create p99', 'ms', [40, 50, 45]),
    figure('peer.this.only.here', 'not on the peer', 'ms', [1]),
    figure('peer.peer.create.rps', 'creates/s', 'req/s', [600, 650, 620]),
    figure('peer.peer.create.p99', 'create p99', 'ms', [30, 30, 30]),
  ];

  it('pairs each figure of this system with the same figure of the peer and leaves out the unpaired ones', () => {
    assert.deepEqual(peerRows(figures).map((r) => r.what), ['create.rps', 'create.p99']);
  });

  it('divides the medians, this system by the peer', () => {
    const [rps, p99] = peerRows(figures);
    assert.equal(rps.ratio, 310 / 620);
    assert.equal(p99.ratio, 45 / 30);
  });

  it('says that throughput and the share fired are better higher, latency and failures better lower', () => {
    assert.deepEqual(peerRows(figures).map((r) => r.better), ['higher', 'lower']);
    const rows = peerRows([figure('peer.this.x.errors', 'failed', '%', [1]), figure('peer.peer.x.errors', 'failed', '%', [1]),
      figure('peer.this.storm.fired', 'fired', '%', [100]), figure('peer.peer.storm.fired', 'fired', '%', [100])]);
    assert.deepEqual(rows.map((r) => r.better), ['lower', 'higher']);
  });

  it('has no ratio when a side was not measured or is zero', () => {
    const rows = peerRows([figure('peer.this.x', 'x', 'ms', [Number.NaN]), figure('peer.peer.x', 'x', 'ms', [2]),
      figure('peer.this.y', 'y', 'ms', [1]), figure('peer.peer.y', 'y', 'ms', [0])]);
    assert.deepEqual(rows.map((r) => formatRatio(r.ratio)), ['n/a', 'n/a']);
  });

  it('writes one table row per pair with both medians, their ranges and the ratio', () => {
    const lines = peerTable(peerRows(figures)).split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[2], '| creates/s | 310 req/s (300–320) | 620 req/s (600–650) | 0.500× | higher |');
    assert.equal(lines[3], '| create p99 | 45.0 ms (40.0–50.0) | 30.0 ms | 1.50× | lower |');
  });

  it('lists the processes busiest first', () => {
    assert.equal(coresLine({ a: 0.1, b: 0.5 }), 'b 0.50, a 0.10');
  });

  it('shows where a request\'s CPU goes busiest first, the processes under 0.05 ms summed, and the total', () => {
    assert.equal(cpuLine({ gateway: 1.5, actors: 3, placement: 0.01, zipkin: 0.02 }), 'actors 3.00, gateway 1.50, the rest 0.030 (4.53 in all)');
  });

  it('puts each kind of request of this system beside the same kind on the peer', () => {
    const lines = cpuTable({ this: { creates: { actors: 2 }, lists: { actors: 1 } }, peer: { creates: { 'restate-server': 1 } } }).split('\n');
    assert.deepEqual(lines.slice(2), ['| creates | actors 2.00 (2.00 in all) | restate-server 1.00 (1.00 in all) |', '| lists | actors 1.00 (1.00 in all) | n/a |']);
  });
});
