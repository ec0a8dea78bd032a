/** The local Dapr resources (components/*.yaml, read by every local daprd) use the names the code and the chart share. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  accessControl, ACTOR_RUNTIME, DAPR_COMPONENTS, DAPR_CONFIGURATION, DAPR_DISSEMINATION_TIMEOUT_SECONDS, DAPR_RESILIENCY, DAPR_SECRET_STORES, SERVICE_APP_IDS,
} from './daprResources';

interface Resource {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & { type?: string; version?: string; metadata?: Array<{ name: string; value?: string }> };
  auth?: { secretStore?: string };
  scopes?: string[];
}

const dir = path.join(__dirname, '..', '..', 'components');
const resources: Resource[] = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
  .map((f) => yaml.load(fs.readFileSync(path.join(dir, f), 'utf8')) as Resource);
const components = resources.filter((r) => r.kind === 'Component');
const named = (name: string) => {
  const r = resources.find((x) => x.metadata.name === name);
  assert.ok(r, `components/ has no resource named ${name}; it has ${resources.map((x) => x.metadata.name).join(', ')}`);
  return r;
};
const meta = (r: Resource, key: string) => r.spec.metadata?.find((m) => m.name === key)?.value;

describe('local Dapr resources (components/) agree with common/daprResources.ts', () => {
  it('every component is scoped to the apps that use it: the actor state store and its secrets to the actor host', () => {
    for (const c of components) assert.deepEqual(c.scopes, [SERVICE_APP_IDS.actors], `${c.metadata.name} scopes`);
  });

  it('the Configuration denies every service invocation but those of SERVICE_INVOCATIONS, and every secret', () => {
    const spec = named(DAPR_CONFIGURATION).spec as { accessControl: unknown; secrets: { scopes: Array<{ storeName: string; defaultAccess: string; allowedSecrets?: unknown }> } };
    assert.deepEqual(spec.accessControl, accessControl('default'));
    assert.deepEqual(spec.secrets.scopes, [{ storeName: DAPR_SECRET_STORES.local.name, defaultAccess: 'deny' }]);
  });

  it('the actor state store has the shared names, types and versions', () => {
    for (const c of Object.values(DAPR_COMPONENTS)) {
      const r = named(c.name);
      assert.equal(r.kind, 'Component');
      assert.deepEqual([r.spec.type, r.spec.version], [c.type, c.version], c.name);
    }
    assert.equal(meta(named(DAPR_COMPONENTS.actorStateStore.name), 'actorStateStore'), 'true');
    assert.deepEqual(components.filter((c) => meta(c, 'actorStateStore') === 'true').map((c) => c.metadata.name), [DAPR_COMPONENTS.actorStateStore.name],
      'exactly one actor state store');
  });

  it('component secrets come from the local secret store', () => {
    const store = named(DAPR_SECRET_STORES.local.name);
    assert.equal(store.spec.type, DAPR_SECRET_STORES.local.type);
    for (const c of components.filter((x) => x.auth)) assert.equal(c.auth?.secretStore, DAPR_SECRET_STORES.local.name, c.metadata.name);
  });

  it('the Configuration and the Resiliency have the shared names, and the Resiliency targets exist', () => {
    assert.equal(named(DAPR_CONFIGURATION).kind, 'Configuration');
    const res = named(DAPR_RESILIENCY);
    assert.equal(res.kind, 'Resiliency');
    const targets = res.spec.targets as { apps?: Record<string, unknown>; components?: Record<string, unknown> };
    for (const app of Object.keys(targets.apps ?? {})) assert.ok((Object.values(SERVICE_APP_IDS) as string[]).includes(app), `Resiliency targets unknown app ${app}`);
    for (const comp of Object.keys(targets.components ?? {})) assert.ok(components.some((c) => c.metadata.name === comp), `Resiliency targets unknown component ${comp}`);
  });

  it('the actor drain timeout stays below the dissemination timeout, so daprd does not clamp it', () => {
    assert.ok(ACTOR_RUNTIME.drainOngoingCallTimeoutSeconds < DAPR_DISSEMINATION_TIMEOUT_SECONDS);
  });
});
