/**
 * The chart's deploy checks (helm lint --strict; helm template validated with kubernetes-validate
 * and the CRD schemas) on a copy of helm/: the chart as committed passes, and each kind of
 * breakage is reported, by the checks and by the deploy:check runner, as a defect saying where.
 */
import assert from 'node:assert/strict';
import type { Defect } from './check';
import { helmLint } from './helmLint';
import { helmTemplate } from './helmTemplate';
import { deployCheck } from './run';
import { REPO_ROOT } from '../paths';
import { scratchRoot, type ScratchRoot } from './scratchRoot';

const CHART = 'helm/todo-actors';
const show = (d: Defect[]) => JSON.stringify(d, null, 1);

describe('deploy checks of the Helm chart', function () {
  this.timeout(180_000);
  let scratch: ScratchRoot;
  before(async function () {
    this.timeout(30 * 60_000); // the first run builds helm and installs kubernetes-validate
    await helmLint.prepare?.();
    await helmTemplate.prepare?.();
  });
  beforeEach(() => {
    scratch = scratchRoot(['helm']);
  });
  afterEach(() => scratch.remove());

  it('pass on the chart as committed', async () => {
    assert.deepEqual(await helmLint.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
    assert.deepEqual(await helmTemplate.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
  });

  it('report a template that is not valid YAML (a bad indent), naming the template', async () => {
    scratch.edit(`${CHART}/templates/disruptionbudgets.yaml`, (t) => t.replace('  maxUnavailable: {{', '    maxUnavailable: {{'));
    const lint = await helmLint.run(scratch);
    const template = await helmTemplate.run(scratch);
    assert.ok(lint.some((d) => d.where.startsWith(`${CHART}/templates/disruptionbudgets.yaml`)), show(lint));
    assert.ok(template.some((d) => d.where.startsWith(`${CHART}/templates/disruptionbudgets.yaml`) && /yaml/i.test(d.message)), show(template));
  });

  it('report a field of the wrong type and an unknown field, with the object and the values file', async () => {
    scratch.edit(`${CHART}/templates/deployments.yaml`, (t) => t.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: "five"')
      .replace('enableServiceLinks: false', 'enableServiceLinks: false\n      restartPolice: Always'));
    const defects = await helmTemplate.run(scratch);
    for (const values of ['values.yaml', 'values-minikube.yaml', 'values-oke.yaml']) {
      const where = `${CHART}/templates/deployments.yaml › Deployment/todo-actors (${values})`;
      assert.ok(defects.some((d) => d.where === where && /^spec\.revisionHistoryLimit: 'five' is not of type 'integer'/.test(d.message)), show(defects));
      assert.ok(defects.some((d) => d.where === where && /restartPolice/.test(d.message)), show(defects));
    }
  });

  it('report a Dapr resource its CRD rejects', async () => {
    scratch.edit(`${CHART}/templates/dapr-configuration.yaml`, (t) => t.replace('    stdout: false', '    stdout: "no"\n    sampling: 1'));
    scratch.edit(`${CHART}/templates/dapr-components.yaml`, (t) => t.replace('  type: state.postgresql\n  version: v2\n', '  type: state.postgresql\n'));
    const defects = await helmTemplate.run(scratch);
    const at = (kind: string) => defects.filter((d) => d.where.includes(`› ${kind}`) && d.where.endsWith('(values-oke.yaml)')).map((d) => d.message);
    assert.ok(at('Configuration/todo-config').includes('spec.tracing.stdout: must be boolean'), show(defects));
    assert.ok(at('Configuration/todo-config').includes('spec.tracing.sampling: unknown field'), show(defects));
    assert.ok(at('Component/actorstate').some((m) => /version/.test(m)), show(defects));
  });

  it('report a kind that no schema covers', async () => {
    scratch.write(`${CHART}/templates/extra.yaml`, 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n');
    const defects = await helmTemplate.run(scratch);
    assert.ok(defects.some((d) => d.where === `${CHART}/templates/extra.yaml › Widget/w (values.yaml)` && /no schema for example.com\/v1 Widget/.test(d.message)), show(defects));
  });

  it('report a value that values.schema.json rejects, with the values file', async () => {
    scratch.edit(`${CHART}/values-oke.yaml`, (t) => t.replace('  partitions: 3', '  partitions: three\n  acks: all'));
    const lint = await helmLint.run(scratch);
    const template = await helmTemplate.run(scratch);
    for (const defects of [lint, template]) {
      assert.deepEqual(defects.map((d) => `${d.where}: ${d.message}`).sort(), [
        `${CHART}/values-oke.yaml: values: at '/kafka': additional properties 'acks' not allowed`,
        `${CHART}/values-oke.yaml: values: at '/kafka/partitions': got string, want integer`,
      ]);
    }
  });

  it('report a shutdown budget that does not add up, in words', async () => {
    scratch.edit(`${CHART}/values-minikube.yaml`, (t) => t.replace('actors:\n  replicas: 1', 'actors:\n  replicas: 1\n  shutdown:\n    preStopSeconds: 5\n    terminationGracePeriodSeconds: 45'));
    const defects = await helmTemplate.run(scratch);
    assert.ok(defects.some((d) => d.where.endsWith('(values-minikube.yaml)') && /actors\.shutdown\.preStopSeconds \(5\) must be at least actors\.sidecar\.gracefulShutdownSeconds \(25\)/.test(d.message)), show(defects));
  });

  it('refuse a JWKS without the issuer and audience its tokens must carry, in words', async () => {
    scratch.edit(`${CHART}/values-oke.yaml`, (t) => t.replace('auth:\n', 'auth:\n  jwksUrl: https://idp.example.com/.well-known/jwks.json\n'));
    const defects = await helmTemplate.run(scratch);
    assert.ok(defects.some((d) => d.where.endsWith('(values-oke.yaml)') && /auth\.jwksUrl is set: set auth\.issuer and auth\.audience/.test(d.message)), show(defects));
  });

  it('make npm run deploy:check fail on a broken copy and pass on the intact one', async () => {
    const lines: string[] = [];
    assert.equal(await deployCheck([], { checks: [helmLint, helmTemplate], root: scratch.root, print: (l) => lines.push(l), say: () => undefined }), 0, lines.join('\n'));
    scratch.edit(`${CHART}/templates/services.yaml`, (t) => t.replace('      port: {{ $v.port }}', '      port: "{{ $v.port }}"'));
    lines.length = 0;
    assert.equal(await deployCheck([], { checks: [helmLint, helmTemplate], root: scratch.root, print: (l) => lines.push(l), say: () => undefined }), 1);
    assert.ok(lines.some((l) => l.startsWith(`✖ ${helmTemplate.name}: ${CHART}/templates/services.yaml › Service/todo-gateway (values.yaml): spec.ports.0.port:`)), lines.join('\n'));
  });
});
