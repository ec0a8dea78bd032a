/**
 * One source of truth: the chart, rendered with each values file, says what the services read at
 * run time. App ids, ports, the sidecar's ports, probe paths, the Dapr Configuration, component
 * names and types, the actor state store, the actor drain timeout and the Resiliency are compared
 * with the definitions the code imports (common/daprResources.ts, common/healthPaths.ts,
 * common/config.ts) and with components/resiliency.yaml; every environment variable the chart sets
 * must be one the code reads, and every secret must come from a Secret.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { documentedSettings } from '../../common/config';
import {
  accessControl, ACTOR_RUNTIME, DAPR_COMPONENTS, DAPR_CONFIGURATION, DAPR_KUBERNETES_PORTS, DAPR_RESILIENCY, DAPR_SECRET_STORES, SERVICE_APP_IDS, USER_ACTOR_METHODS,
} from '../../common/daprResources';
import { HEALTH_PATHS } from '../../common/healthPaths';
import { REPO_ROOT } from '../paths';
import { kubeVersion, RELEASE, renderChart, runHelm, valuesFiles } from './helmChart';
import { controlPlaneDefects, DAPR_CONTROL_PLANE_VALUES, daprChartDir, securityPosture } from './securityPosture';
import { helmTemplate } from './helmTemplate';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

/** The variable each service reads its app port from (common/config.ts). */
const PORT_VARIABLE: Record<keyof typeof SERVICE_APP_IDS, string> = { gateway: 'GATEWAY_PORT', actors: 'ACTORS_PORT', subscribers: 'SUBSCRIBERS_PORT' };
const METRICS_PORT_VARIABLE: Record<keyof typeof SERVICE_APP_IDS, string> = { gateway: 'GATEWAY_METRICS_PORT', actors: 'ACTORS_METRICS_PORT', subscribers: 'SUBSCRIBERS_METRICS_PORT' };
/** Variables that hold secrets: never a plain value in a manifest. */
const SECRET_VARIABLES = ['PGPASSWORD', 'JWT_SECRET', 'STREAM_TICKET_SECRET', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'SMTP_USER', 'SMTP_PASSWORD', 'DAPR_API_TOKEN', 'APP_API_TOKEN'];
const SECRET_METADATA = ['connectionString', 'password', 'saslUsername', 'saslPassword', 'token'];

const settings = new Map(documentedSettings().map((s) => [s.name, s.default]));

describe('the chart agrees with what the services read at run time', function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-truth-'));
  const rendered = new Map<string, Doc[]>();

  before(async function () {
    this.timeout(30 * 60_000); // the first run builds helm from the Go module proxy
    await helmTemplate.prepare?.();
    await securityPosture.prepare?.();
    for (const values of valuesFiles(REPO_ROOT)) {
      const r = await renderChart({ root: REPO_ROOT, tmp }, values);
      assert.equal(r.status, 0, `helm template with ${values}: ${r.stderr}`);
      rendered.set(values, (yaml.loadAll(r.stdout) as Doc[]).filter(Boolean));
    }
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('renders for minikube and for OKE', () => {
    assert.ok(rendered.has('values-minikube.yaml') && rendered.has('values-oke.yaml'), [...rendered.keys()].join(', '));
  });

  const each = (fn: (docs: Doc[], values: string) => void) => () => {
    for (const [values, docs] of rendered) {
      try {
        fn(docs, values);
      } catch (err) {
        if (err instanceof Error) err.message = `with ${values}: ${err.message}`;
        throw err;
      }
    }
  };
  const find = (docs: Doc[], kind: string, name: string): Doc => {
    const d = docs.find((x) => x.kind === kind && x.metadata?.name === name);
    assert.ok(d, `no ${kind} named ${name}`);
    return d;
  };

  it('deploys each service under its Dapr app id, with the app port it listens on', each((docs) => {
    assert.deepEqual(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name).sort(), Object.values(SERVICE_APP_IDS).sort());
    for (const [key, appId] of Object.entries(SERVICE_APP_IDS) as Array<[keyof typeof SERVICE_APP_IDS, string]>) {
      const pod = find(docs, 'Deployment', appId).spec.template;
      const a = pod.metadata.annotations;
      const c = pod.spec.containers[0];
      const env = new Map<string, Doc>(c.env.map((e: Doc) => [e.name, e]));
      const port = c.ports.find((p: Doc) => p.name === 'http').containerPort;
      const metricsPort = c.ports.find((p: Doc) => p.name === 'metrics').containerPort;
      assert.equal(a['dapr.io/enabled'], 'true');
      assert.equal(a['dapr.io/app-id'], appId);
      // Dapr calls the actor host and the subscribers; never the gateway, which has no app channel.
      assert.equal(a['dapr.io/app-port'], key === 'gateway' ? undefined : String(port), `${appId}: Dapr's app port`);
      assert.equal(env.get(PORT_VARIABLE[key])?.value, String(port), `${appId}: ${PORT_VARIABLE[key]} is the container port`);
      assert.equal(String(port), settings.get(PORT_VARIABLE[key]), `${appId}: the port is the service's default (the image's EXPOSE and HEALTHCHECK use it)`);
      assert.equal(env.get(METRICS_PORT_VARIABLE[key])?.value, String(metricsPort), `${appId}: ${METRICS_PORT_VARIABLE[key]} is the metrics container port`);
      assert.equal(`$${PORT_VARIABLE[key]} + ${metricsPort - port}`, settings.get(METRICS_PORT_VARIABLE[key]), `${appId}: the metrics port is the service's default`);
      assert.equal(env.get('DAPR_HTTP_PORT')?.value, String(DAPR_KUBERNETES_PORTS.http), `${appId}: the sidecar's HTTP port in Kubernetes`);
      assert.equal(a['dapr.io/metrics-port'], String(DAPR_KUBERNETES_PORTS.metrics));
      assert.equal(a['dapr.io/config'], DAPR_CONFIGURATION);
      assert.equal(c.readinessProbe.httpGet.path, HEALTH_PATHS.readiness);
      assert.equal(c.livenessProbe.httpGet.path, HEALTH_PATHS.liveness);
      assert.equal(c.startupProbe.httpGet.path, HEALTH_PATHS.liveness);
      for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe]) assert.equal(p.httpGet.port, 'metrics');
      assert.equal(a['dapr.io/app-health-check-path'], key === 'gateway' ? undefined : HEALTH_PATHS.liveness);

      const svc = find(docs, 'Service', appId);
      for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(pod.metadata.labels[k], v, `Service ${appId} selects its pods`);
      const ports = new Map<string, Doc>(svc.spec.ports.map((p: Doc) => [p.name, p]));
      if (key === 'gateway') assert.deepEqual([ports.get('http')?.port, ports.get('http')?.targetPort], [port, 'http']);
      else assert.equal(ports.get('http'), undefined, `${appId}: its app port answers only its own sidecar, not a Service`);
      assert.deepEqual([ports.get('metrics')?.port, ports.get('metrics')?.targetPort], [metricsPort, 'metrics']);
      assert.equal(ports.get('dapr-metrics')?.targetPort, DAPR_KUBERNETES_PORTS.metrics);
    }
  }));

  it('sets only environment variables the code reads, and secrets only from Secrets', each((docs) => {
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      for (const e of d.spec.template.spec.containers[0].env as Doc[]) {
        assert.ok(settings.has(e.name), `${d.metadata.name} sets ${e.name}, which common/config.ts does not read`);
        if (SECRET_VARIABLES.includes(e.name)) assert.ok(e.valueFrom?.secretKeyRef?.name && !('value' in e), `${d.metadata.name}: ${e.name} must come from a Secret`);
      }
    }
    // The one Secret the chart renders is Alertmanager's configuration (templates/monitoring.yaml),
    // which embeds the SMTP password read from smtp.existingSecret; every credential of the services comes from a Secret the operator made.
    const secrets = docs.filter((d) => d.kind === 'Secret').map((d) => d.metadata.name as string);
    assert.ok(secrets.every((n) => /-alertmanager$/.test(n)), `the chart renders no Secret but Alertmanager's configuration: ${secrets.join(', ')}`);
  }));

  it('names the Dapr components as the code and components/ do, with the actor state store for the actor host', each((docs) => {
    const components = docs.filter((d) => d.kind === 'Component');
    const meta = (c: Doc, key: string): Doc | undefined => c.spec.metadata.find((m: Doc) => m.name === key);
    for (const want of Object.values(DAPR_COMPONENTS)) {
      const c = find(docs, 'Component', want.name);
      assert.deepEqual([c.spec.type, c.spec.version], [want.type, want.version], want.name);
    }
    const store = find(docs, 'Component', DAPR_COMPONENTS.actorStateStore.name);
    assert.equal(meta(store, 'actorStateStore')?.value, 'true');
    assert.deepEqual(components.filter((c) => meta(c, 'actorStateStore')?.value === 'true').map((c) => c.metadata.name), [store.metadata.name]);
    assert.ok(store.scopes.includes(SERVICE_APP_IDS.actors));

    // The operator resolves the store name `kubernetes` itself: no sidecar loads a secret store
    // (which would need the Kubernetes API token the pods do not mount).
    assert.deepEqual(components.filter((c) => c.spec.type === DAPR_SECRET_STORES.kubernetes.type).map((c) => c.metadata.name), []);
    for (const c of components) {
      assert.ok(Array.isArray(c.scopes) && c.scopes.length > 0, `${c.metadata.name} is scoped`);
      for (const m of c.spec.metadata as Doc[]) {
        if (m.secretKeyRef) assert.equal(c.auth?.secretStore, DAPR_SECRET_STORES.kubernetes.name, `${c.metadata.name}.${m.name}`);
        if (SECRET_METADATA.includes(m.name)) assert.ok(m.secretKeyRef && !('value' in m), `${c.metadata.name}: ${m.name} must be a secretKeyRef`);
      }
    }
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      assert.equal(d.spec.template.metadata.annotations['dapr.io/disable-builtin-k8s-secret-store'], 'true', `${d.metadata.name}: one Kubernetes secret store, the chart's`);
    }
  }));

  it('has the Configuration the pods name, with a metrics path for every actor method', each((docs) => {
    const cfg = find(docs, 'Configuration', DAPR_CONFIGURATION);
    const paths: string[] = cfg.spec.metric.http.pathMatching;
    for (const m of USER_ACTOR_METHODS) {
      assert.ok(paths.includes(`/actors/UserActor/{id}/method/${m}`), `pathMatching lacks ${m}`);
      assert.ok(paths.includes(`/v1.0/actors/UserActor/{id}/method/${m}`), `pathMatching lacks ${m} on the caller's sidecar`);
    }
    assert.equal(typeof cfg.spec.tracing.samplingRate, 'string');
    assert.deepEqual(cfg.spec.accessControl, accessControl(RELEASE), 'the same invocations allowed as locally (common/daprResources.ts)');
  }));

  it("has mTLS on where it is decided: the control plane's daprsystem Configuration, not the app's", async () => {
    const values = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'helm', 'todo-actors', 'values.yaml'), 'utf8')) as Doc;
    const r = await runHelm(['template', 'dapr', daprChartDir(), '--namespace', values.dapr.controlPlaneNamespace, '--kube-version', kubeVersion,
      '-f', path.join(REPO_ROOT, DAPR_CONTROL_PLANE_VALUES)], { root: REPO_ROOT, tmp });
    assert.equal(r.status, 0, r.stderr);
    const docs = (yaml.loadAll(r.stdout) as Doc[]).filter(Boolean);
    assert.deepEqual(controlPlaneDefects(docs, DAPR_CONTROL_PLANE_VALUES, values.dapr.controlPlaneTrustDomain), []);
    // And the reading can fail: the same chart with mTLS off is reported.
    const off = await runHelm(['template', 'dapr', daprChartDir(), '--namespace', values.dapr.controlPlaneNamespace, '--kube-version', kubeVersion,
      '-f', path.join(REPO_ROOT, DAPR_CONTROL_PLANE_VALUES), '--set', 'global.mtls.enabled=false'], { root: REPO_ROOT, tmp });
    assert.equal(off.status, 0, off.stderr);
    assert.equal(controlPlaneDefects((yaml.loadAll(off.stdout) as Doc[]).filter(Boolean), DAPR_CONTROL_PLANE_VALUES, values.dapr.controlPlaneTrustDomain).length, 1);
    for (const docsOfValues of rendered.values()) {
      assert.equal(find(docsOfValues, 'Configuration', DAPR_CONFIGURATION).spec.mtls, undefined, 'the app Configuration claims no mTLS setting it cannot make');
    }
  });

  it('has the same Resiliency as the local stack (components/resiliency.yaml)', each((docs) => {
    const local = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'components', 'resiliency.yaml'), 'utf8')) as Doc;
    const chart = find(docs, 'Resiliency', DAPR_RESILIENCY);
    assert.equal(local.metadata.name, DAPR_RESILIENCY);
    assert.deepEqual(chart.spec, local.spec);
  }));

  it("sizes the actor host's shutdown for the drain timeout the actor host gives its sidecar", each((docs) => {
    const pod = find(docs, 'Deployment', SERVICE_APP_IDS.actors).spec.template;
    const a = pod.metadata.annotations;
    const drain = ACTOR_RUNTIME.drainOngoingCallTimeoutSeconds;
    assert.equal(a['todo-actors.dev/actor-drain-timeout'], `${drain}s`);
    const sidecar = Number(a['dapr.io/graceful-shutdown-seconds']);
    const preStop = pod.spec.containers[0].lifecycle.preStop.sleep.seconds;
    assert.ok(sidecar >= drain + 5, `sidecar graceful shutdown ${sidecar}s < drain ${drain}s + 5s`);
    assert.ok(preStop >= sidecar, `the app's preStop (${preStop}s) ends before its sidecar's shutdown (${sidecar}s)`);
    assert.ok(pod.spec.terminationGracePeriodSeconds >= preStop + 10);
    assert.equal(a['dapr.io/block-shutdown-duration'], undefined, 'the actor host\'s sidecar must not wait for the app to stop first');
  }));

  it('lets sidecars reach the actor host and the subscribers on the internal gRPC port, and the ingress reach only the gateway', each((docs) => {
    for (const appId of [SERVICE_APP_IDS.actors, SERVICE_APP_IDS.subscribers]) {
      const np = find(docs, 'NetworkPolicy', appId);
      assert.ok(np.spec.ingress.some((r: Doc) => r.ports?.some((p: Doc) => p.port === DAPR_KUBERNETES_PORTS.internalGrpc)), appId);
    }
    const ingress = docs.filter((d) => d.kind === 'Ingress');
    for (const i of ingress) {
      for (const rule of i.spec.rules) for (const p of rule.http.paths) assert.equal(p.backend.service.name, SERVICE_APP_IDS.gateway);
    }
  }));
});
