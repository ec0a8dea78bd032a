import assert from 'node:assert/strict';
import { busyCpuSeconds, machineInfo } from './machine';

describe('the machine a benchmark ran on', () => {
  it('counts busy time from /proc/stat: user, nice, system, irq, softirq, steal, not idle or iowait', () => {
    const stat = 'cpu  1000 200 300 99999 888 10 20 5 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n';
    assert.equal(busyCpuSeconds(stat), (1000 + 200 + 300 + 10 + 20 + 5) / 100);
  });

  it('records cores, memory and the CPU model', () => {
    const m = machineInfo();
    assert.ok(m.cores >= 1 && m.memoryGiB >= 0 && m.cpu.length > 0);
  });
});
