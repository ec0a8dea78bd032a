/**
 * What the services, the local Dapr resources (components/*.yaml) and the Helm chart
 * (helm/todo-actors) must agree on: app ids, the actor type, component names and types, the
 * names of the Configuration and the Resiliency, the actor runtime settings the actor host gives
 * its sidecar, and the sidecar's ports in Kubernetes. The code imports these; tests check both the
 * local YAML (common/daprResources.test.ts) and the rendered chart
 * (stack/deployCheck/chartSourceOfTruth.deploycheck.test.ts) against them.
 */
import { SERVICE_APP_IDS } from './config';
export { SERVICE_APP_IDS };
export { USER_ACTOR_TYPE, USER_ACTOR_METHODS } from './actorApi';

/**
 * Dapr components. The services talk to Kafka and PostgreSQL with their own clients; the actor
 * state store is the one Dapr's actor runtime uses (the component with actorStateStore: "true"),
 * loaded by the actor host's sidecar only (every component is scoped to the apps that use it).
 */
export const DAPR_COMPONENTS = {
  actorStateStore: { name: 'actorstate', type: 'state.postgresql', version: 'v2' },
} as const;

/**
 * Where component secrets come from: the sidecar's environment locally; in Kubernetes the secret
 * store named `kubernetes`, whose secretKeyRefs the Dapr operator itself resolves from Secrets of
 * the release's namespace (Dapr resolves them so only for that name).
 */
export const DAPR_SECRET_STORES = {
  local: { name: 'local-secrets', type: 'secretstores.local.env', version: 'v1' },
  kubernetes: { name: 'kubernetes', type: 'secretstores.kubernetes', version: 'v1' },
} as const;

export const DAPR_CONFIGURATION = 'todo-config';

/**
 * Every service invocation the system makes, which is all the Configuration's accessControl allows
 * (default deny, for every caller and every callee): the gateway reads the audit store of the
 * subscribers (GET /v1/audit, and the device stream's replay). Actor calls are not service
 * invocations: Dapr 1.18 applies accessControl to service invocation only (its internal CallActor
 * checks workflow actors alone), so UserActor is guarded by mTLS (only sidecars with a certificate
 * from the control plane's sentry reach it), by the actor host's app token and, in the cluster, by
 * the NetworkPolicy that lets only the gateway's and the actor hosts' pods reach its sidecar.
 * Service invocation of todo-actors itself (which would reach the actor routes of its app) is
 * allowed to nobody.
 *
 * Letting another service call the actors: give it its own app id, add it to the callers of
 * todo-actors in helm/todo-actors/templates/networkpolicies.yaml, and call UserActor through its
 * own sidecar's actor API (/v1.0/actors/UserActor/{user}/method/{name}); to let it read the audit,
 * add an entry here and in the chart's todo-actors.invocations (deploy:check compares the two).
 */
export const SERVICE_INVOCATIONS = [
  { caller: SERVICE_APP_IDS.gateway, callee: SERVICE_APP_IDS.subscribers, operations: [{ name: '/audit', httpVerb: ['GET'] }, { name: '/audit/replay', httpVerb: ['GET'] },
    // DELETE /v1/me waits for the subscribers' part of the erasure (subscribers/erasure/).
    { name: '/audit/erasures', httpVerb: ['GET'] },
    // The operators' dead-letter API (gateway/routes/admin.ts → subscribers/deadLetters/adminApi.ts). One
    // multi-segment wildcard: Dapr's ACL stops at the first rule on a path, so /admin/dead-letters
    // and a rule below it could not carry different verbs.
    { name: '/admin/**', httpVerb: ['GET', 'POST'] }] },
] as const;

/** The accessControl block of the Configuration every sidecar loads (locally and in the chart). */
export function accessControl(namespace: string): Record<string, unknown> {
  const callers = [...new Set(SERVICE_INVOCATIONS.map((i) => i.caller))];
  return {
    defaultAction: 'deny',
    trustDomain: 'public',
    policies: callers.map((appId) => ({
      appId, defaultAction: 'deny', trustDomain: 'public', namespace,
      operations: SERVICE_INVOCATIONS.filter((i) => i.caller === appId).flatMap((i) => i.operations.map((o) => ({ name: o.name, httpVerb: [...o.httpVerb], action: 'allow' }))),
    })),
  };
}
export const DAPR_RESILIENCY = 'todo-resiliency';

/**
 * daprd's actor placement dissemination timeout (Dapr 1.18, --actors-disseminate-timeout, default
 * 30 s): a drain timeout at or above it is clamped to 80 % of it, with a warning.
 */
export const DAPR_DISSEMINATION_TIMEOUT_SECONDS = 30;

/**
 * The actor runtime settings the actor host answers on GET /dapr/config. When placement moves an
 * actor (a host joins or leaves, e.g. during a rolling update) its sidecar lets the calls in
 * flight finish for up to drainOngoingCallTimeout before it deactivates the actor; a host's own
 * sidecar does the same when it shuts down. 15 s covers the gateway's actor call timeout
 * (ACTOR_CALL_TIMEOUT_MS, 10 s by default) and stays below the dissemination timeout. The chart
 * sizes the actor host's shutdown from it (helm/todo-actors/values.yaml, actors.shutdown).
 */
export const ACTOR_RUNTIME = {
  actorIdleTimeout: '1h',
  drainOngoingCallTimeoutSeconds: 15,
  drainRebalancedActors: true,
} as const;

/** The sidecar's ports in Kubernetes: fixed by Dapr's injector, except metrics (dapr.io/metrics-port, default 9090). */
export const DAPR_KUBERNETES_PORTS = { http: 3500, grpc: 50001, internalGrpc: 50002, metrics: 9090 } as const;
