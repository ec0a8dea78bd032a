import assert from 'node:assert/strict';
import { REPO_ROOT } from '../paths';
import { actionlint, workflowFiles } from './actionlint';
import { scratchRoot, type ScratchRoot } from './scratchRoot';

describe('deploy check: actionlint', function () {
  let scratch: ScratchRoot;
  before(async function () {
    this.timeout(20 * 60_000); // the first run builds actionlint from the Go module proxy
    await actionlint.prepare?.();
  });
  beforeEach(() => {
    scratch = scratchRoot(['.github']);
  });
  afterEach(() => scratch.remove());

  it('passes on the repository as committed', async () => {
    assert.ok(workflowFiles(REPO_ROOT).length > 0);
    assert.deepEqual(await actionlint.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
  });

  it('names a job that needs a job which does not exist, and a misspelt context', async () => {
    scratch.edit('.github/workflows/ci.yml', (t) => t.replace('needs: [version, images]', 'needs: [version, image]')
      .replace('${{ secrets.KUBECONFIG }}', '${{ secret.KUBECONFIG }}'));
    const defects = await actionlint.run(scratch);
    assert.ok(defects.some((d) => /^\.github\/workflows\/ci\.yml:\d+:\d+$/.test(d.where) && /needs job "image" which does not exist/.test(d.message)), JSON.stringify(defects));
    assert.ok(defects.some((d) => /undefined variable "secret"/.test(d.message)), JSON.stringify(defects));
  });

  it('reports a workflow that is not valid YAML', async () => {
    scratch.write('.github/workflows/broken.yml', 'on: push\njobs:\n  x:\n    runs-on: [ubuntu-24.04\n');
    const defects = await actionlint.run(scratch);
    assert.ok(defects.some((d) => d.where.startsWith('.github/workflows/broken.yml')), JSON.stringify(defects));
  });

  it('reports a missing workflows folder', async () => {
    scratch.remove();
    scratch = scratchRoot([]);
    assert.deepEqual((await actionlint.run(scratch)).map((d) => d.where), ['.github/workflows/']);
  });
});
