/**
 * The security posture check on a copy of the chart, Terraform and workflows: it passes on what is
 * committed, and each weakening an attacker would profit from is reported, naming where.
 */
import assert from 'node:assert/strict';
import type { Defect } from './check';
import { securityPosture } from './securityPosture';
import { REPO_ROOT } from '../paths';
import { scratchRoot, type ScratchRoot } from './scratchRoot';

const CHART = 'helm/todo-actors';
const show = (d: Defect[]) => JSON.stringify(d, null, 1);
const has = (d: Defect[], re: RegExp) => assert.ok(d.some((x) => re.test(x.message)), show(d));

describe('deploy check of the security posture', function () {
  this.timeout(240_000);
  let scratch: ScratchRoot;
  before(async function () {
    this.timeout(30 * 60_000);
    await securityPosture.prepare?.();
  });
  beforeEach(() => {
    scratch = scratchRoot(['helm', 'terraform', '.github']);
  });
  afterEach(() => scratch.remove());

  it('passes on what is committed', async () => {
    assert.deepEqual(await securityPosture.run({ root: REPO_ROOT, tmp: scratch.tmp }), []);
  });

  it('reports mTLS turned off where it is decided: the control plane\'s daprsystem Configuration', async () => {
    scratch.edit('helm/dapr-control-plane.yaml', (t) => t.replace('    enabled: true', '    enabled: false'));
    has(await securityPosture.run(scratch), /daprsystem Configuration turns mTLS off/);
  });

  it('reports an ingress that routes everything, so /metrics and /readyz are public', async () => {
    scratch.edit(`${CHART}/templates/ingress.yaml`, (t) => t.replace('pathType: Exact', 'pathType: Prefix'));
    const d = await securityPosture.run(scratch);
    has(d, /routes \/metrics to the outside/);
    has(d, /routes \/readyz to the outside/);
    has(d, /OpenAPI document without ingress.exposeOpenApi/);
  });

  it('reports an API path the ingress forgot', async () => {
    scratch.edit(`${CHART}/values.yaml`, (t) => t.replace('apiPaths: [/v1/tasks, /v1/audit, /v1/chat, /v1/stream, /v1/admin, /v1/me]', 'apiPaths: [/v1/tasks, /v1/audit, /v1/chat, /v1/admin, /v1/me]'));
    has(await securityPosture.run(scratch), /does not route the API path \/v1\/stream/);
  });

  it('reports weaker defaults: PostgreSQL require, Kafka plaintext without users', async () => {
    scratch.edit(`${CHART}/values.yaml`, (t) => t.replace('  sslMode: verify-full', '  sslMode: require').replace('  tls: true\n  sasl:\n    # none, plain, scram-sha-256 or scram-sha-512\n    mechanism: scram-sha-512',
      '  tls: false\n  sasl:\n    # none, plain, scram-sha-256 or scram-sha-512\n    mechanism: none'));
    const d = await securityPosture.run(scratch);
    has(d, /PGSSLMODE defaults to require/);
    has(d, /Kafka without TLS by default/);
    has(d, /Kafka without SASL\/SCRAM by default/);
  });

  it('reports the default service account, a mounted API token and a sidecar without its API token', async () => {
    scratch.edit(`${CHART}/templates/deployments.yaml`, (t) => t.replace('      serviceAccountName: {{ $svc.appId }}\n      automountServiceAccountToken: false\n', '')
      .replace(/ {8}dapr\.io\/api-token-secret: .*\n/, ''));
    const d = await securityPosture.run(scratch);
    has(d, /runs with the default service account/);
    has(d, /mounts a Kubernetes API token/);
    has(d, /its sidecar answers any caller/);
  });

  it('reports Prometheus allowed onto the app port, and an app Configuration that allows by default', async () => {
    scratch.edit(`${CHART}/templates/networkpolicies.yaml`, (t) => t.replace('        - port: {{ $v.metricsPort }}', '        - port: {{ $v.port }}\n          protocol: TCP\n        - port: {{ $v.metricsPort }}'));
    scratch.edit(`${CHART}/templates/dapr-configuration.yaml`, (t) => t.replace('  accessControl:\n    defaultAction: deny', '  accessControl:\n    defaultAction: allow'));
    const d = await securityPosture.run(scratch);
    has(d, /lets the metrics scraper reach port\(s\) 8081/);
    has(d, /accessControl does not deny by default/);
  });

  it('reports a Kubernetes API open to the internet by default, and an action pinned by a tag', async () => {
    scratch.edit('terraform/oke/variables.tf', (t) => t.replace('  type        = list(string)\n\n  validation', '  type        = list(string)\n  default     = ["0.0.0.0/0"]\n\n  validation'));
    scratch.edit('.github/workflows/ci.yml', (t) => t.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v4'));
    const d = await securityPosture.run(scratch);
    has(d, /api_allowed_cidrs has a default/);
    assert.ok(d.some((x) => /^\.github\/workflows\/ci\.yml:\d+$/.test(x.where) && /actions\/checkout@v4 is not pinned/.test(x.message)), show(d));
  });
});
