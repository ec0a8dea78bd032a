import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { isAlive, processStartTime, spawnDetached, stopProcess } from './processes';

describe('stack processes are stopped by pid, never by name', () => {
  const log = path.join(os.tmpdir(), `todo-actors-proc-test-${process.pid}.log`);

  it('starts a detached process, sees it alive, and stops it with its signal', async () => {
    const p = spawnDetached({ cmd: 'sleep', args: ['30'], env: process.env, cwd: os.tmpdir(), log });
    assert.equal(isAlive(p), true);
    assert.equal(await stopProcess(p, 'SIGTERM', 5000), 'stopped');
    assert.equal(isAlive(p), false);
    assert.equal(await stopProcess(p), 'gone');
  });

  it('leaves alone a process that reuses a recorded pid (start time differs)', async () => {
    const p = spawnDetached({ cmd: 'sleep', args: ['30'], env: process.env, cwd: os.tmpdir(), log });
    try {
      const impostor = { pid: p.pid, startTime: String(Number(processStartTime(p.pid)) - 1) };
      assert.equal(isAlive(impostor), false);
      assert.equal(await stopProcess(impostor, 'SIGKILL', 100), 'gone');
      assert.equal(isAlive(p), true, 'the real process must still run');
    } finally {
      await stopProcess(p, 'SIGKILL', 1000);
    }
  });

  it('kills a process that ignores its stop signal once the grace period is over', async () => {
    const p = spawnDetached({ cmd: 'sh', args: ['-c', "trap '' TERM; sleep 30 & wait; sleep 30"], env: process.env, cwd: os.tmpdir(), log });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await stopProcess(p, 'SIGTERM', 500), 'killed');
    assert.equal(isAlive(p), false);
  });
});
