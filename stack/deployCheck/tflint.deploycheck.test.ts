import assert from 'node:assert/strict';
import { REPO_ROOT } from '../paths';
import { scratchRoot, type ScratchRoot } from './scratchRoot';
import { tflint } from './tflint';

describe('deploy check: tflint', function () {
  let scratch: ScratchRoot;
  before(async function () {
    this.timeout(20 * 60_000); // the first run builds tflint from the Go module proxy
    await tflint.prepare?.();
  });
  beforeEach(() => {
    scratch = scratchRoot(['terraform']);
  });
  afterEach(() => scratch.remove());

  it('passes on the repository as committed', async () => {
    assert.deepEqual(await tflint.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
  });

  it('names an untyped, undocumented, unused variable and an unpinned provider, with file and line', async () => {
    scratch.edit('terraform/oke/variables.tf', (t) => `${t}\nvariable "leftover" {\n  default = 1\n}\n`);
    scratch.edit('terraform/oke/versions.tf', (t) => t.replace(/^\s*version\s*=\s*"~> [\d.]+"\n/m, ''));
    const defects = await tflint.run(scratch);
    const rules = defects.map((d) => /\[(\w+),/.exec(d.message)?.[1]).sort();
    assert.deepEqual(rules, ['terraform_documented_variables', 'terraform_required_providers', 'terraform_typed_variables', 'terraform_unused_declarations'], JSON.stringify(defects));
    assert.ok(defects.some((d) => /^terraform\/oke\/variables\.tf:\d+:1$/.test(d.where)), JSON.stringify(defects));
  });

  it('reports a module that does not parse', async () => {
    scratch.write('terraform/oke/broken.tf', 'resource "oci_core_vcn" "x" {\n  cidr_blocks = \n}\n');
    const defects = await tflint.run(scratch);
    assert.equal(defects.length, 1, JSON.stringify(defects));
    assert.match(defects[0].message, /broken\.tf/);
    assert.ok(!defects[0].message.includes('\u001b'), 'no colour codes');
  });
});
