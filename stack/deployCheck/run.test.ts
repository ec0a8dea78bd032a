import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { DeployCheck } from './check';
import { deployCheck, reportLines, runChecks, selectChecks } from './run';

const passing: DeployCheck = { name: 'always fine', run: async () => [] };
const twoDefects: DeployCheck = {
  name: 'finds two',
  run: async () => [{ where: 'a.yaml:3', message: 'bad' }, { where: 'b.yaml', message: 'worse' }],
};

describe('deploy:check runner', () => {
  it('prints one ✔ line per passing check and one ✖ line per defect, and exits 1', async () => {
    const lines: string[] = [];
    const code = await deployCheck([], { checks: [passing, twoDefects], print: (l) => lines.push(l), say: () => undefined });
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(0, 3), ['✔ always fine', '✖ finds two: a.yaml:3: bad', '✖ finds two: b.yaml: worse']);
    assert.match(lines[3], /2 defects in 1 of 2 checks/);
  });

  it('exits 0 when every check passes', async () => {
    assert.equal(await deployCheck([], { checks: [passing], print: () => undefined, say: () => undefined }), 0);
  });

  it('calls every prepare before any run, and runs each check with the root and its own existing scratch folder', async () => {
    const order: string[] = [];
    const tmps: string[] = [];
    const mk = (name: string): DeployCheck => ({
      name,
      prepare: async () => void order.push(`prepare ${name}`),
      run: async (ctx) => {
        order.push(`run ${name}`);
        assert.equal(ctx.root, '/some/copy');
        assert.ok(fs.statSync(ctx.tmp).isDirectory());
        tmps.push(ctx.tmp);
        return [];
      },
    });
    await runChecks({ root: '/some/copy', checks: [mk('a'), mk('b')] });
    assert.deepEqual(order, ['prepare a', 'prepare b', 'run a', 'run b']);
    assert.notEqual(tmps[0], tmps[1]);
    assert.ok(tmps.every((t) => !fs.existsSync(t)), 'scratch folders are removed after the run');
  });

  it('turns a failing prepare or a throwing run into a defect of that check, and still runs the others', async () => {
    const badTool: DeployCheck = { name: 'no tool', prepare: async () => { throw new Error('proxy unreachable'); }, run: async () => [] };
    const crashes: DeployCheck = { name: 'crashes', run: async () => { throw new Error('boom'); } };
    const outcomes = await runChecks({ checks: [badTool, crashes, passing] });
    const lines = reportLines(outcomes);
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^✖ no tool: \(tools\): .*proxy unreachable/);
    assert.match(lines[1], /^✖ crashes: \(check\): .*boom/);
    assert.equal(lines[2], '✔ always fine');
  });

  it('keeps only the checks whose names contain a word, and answers 2 when none does', async () => {
    assert.deepEqual(selectChecks(['TWO'], [passing, twoDefects]).map((c) => c.name), ['finds two']);
    assert.equal(selectChecks([], [passing, twoDefects]).length, 2);
    assert.equal(await deployCheck(['nothing-like-this'], { checks: [passing], print: () => undefined, say: () => undefined }), 2);
  });
});
