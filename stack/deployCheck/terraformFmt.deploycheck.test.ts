import assert from 'node:assert/strict';
import { REPO_ROOT } from '../paths';
import { scratchRoot, type ScratchRoot } from './scratchRoot';
import { terraformFmt } from './terraformFmt';

describe('deploy check: terraform fmt', function () {
  let scratch: ScratchRoot;
  before(async function () {
    this.timeout(20 * 60_000); // the first run may build terraform from the Go module proxy
    await terraformFmt.prepare?.();
    scratch = scratchRoot(['terraform']);
  });
  after(() => scratch?.remove());

  it('passes on the repository as committed', async () => {
    assert.deepEqual(await terraformFmt.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
  });

  it('names a badly formatted .tf file', async () => {
    scratch.edit('terraform/oke/main.tf', (t) => t.replace('  type               = "BASIC_CLUSTER"', '  type = "BASIC_CLUSTER"'));
    const defects = await terraformFmt.run(scratch);
    assert.deepEqual(defects.map((d) => d.where), ['terraform/oke/main.tf']);
    assert.match(defects[0].message, /terraform fmt/);
  });

  it('reports a file that does not parse', async () => {
    scratch.write('terraform/oke/broken.tf', 'resource "oci_core_vcn" "x" {\n  cidr_blocks = \n}\n');
    const defects = await terraformFmt.run(scratch);
    assert.equal(defects.length, 1, JSON.stringify(defects));
    assert.match(defects[0].message, /broken\.tf/);
  });
});
