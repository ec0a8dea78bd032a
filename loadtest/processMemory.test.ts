import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { kbField, memoryByGroup } from './processMemory';

describe('memory per process from /proc', () => {
  it('reads a kB field of /proc/<pid>/status or smaps_rollup in bytes', () => {
    const text = 'Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n';
    assert.equal(kbField(text, 'VmRSS'), 123456 * 1024);
    assert.equal(kbField(text, 'VmPeak'), 900 * 1024);
    assert.equal(kbField(text, 'Pss'), 0);
  });

  it('measures a process group by its leader: its processes, their resident and proportional sets', () => {
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      const m = memoryByGroup(new Map([[leader.pid!, 'sleeper']])).get('sleeper')!;
      assert.equal(m.processes, 1);
      assert.ok(m.rss > 0, `rss ${m.rss}`);
      assert.ok(m.pss > 0 && m.pss <= m.rss, `pss ${m.pss} of rss ${m.rss}`);
      assert.equal(memoryByGroup(new Map([[2 ** 22 + 1, 'nobody']])).get('nobody')!.processes, 0);
    } finally {
      leader.kill();
    }
  });
});
