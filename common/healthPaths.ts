/**
 * The health endpoints every service serves on its app port, which the Helm chart's probes and
 * the sidecars' app health checks call (checked by stack/deployCheck/chartSourceOfTruth.deploycheck.test.ts).
 * liveness: the process answers; readiness: it can do its work (database, Kafka, sidecar).
 * The actor host's liveness endpoint is served by Dapr's JS SDK (DaprServer) at this same path.
 */
export const HEALTH_PATHS = { liveness: '/healthz', readiness: '/readyz' } as const;
