/**
 * Every setting of every process, read from environment variables with working local defaults.
 * This list is the single source of truth: the README's table is checked against it by a test
 * (common/config.test.ts), so a setting added here without a line in the README fails `npm test`.
 */
import os from 'node:os';
import path from 'node:path';

export interface SettingDoc {
  name: string;
  default: string;
  description: string;
}

const documented: SettingDoc[] = [];

/** A setting that, set to empty, means none (unset gives the default): for one that switches something off. */
function strOrNone(name: string, def: string, description: string, shownDefault = def): string {
  documented.push({ name, default: shownDefault, description });
  return process.env[name] ?? def;
}

/** A setting whose empty value is its default, as if unset. */
function str(name: string, def: string, description: string, shownDefault = def): string {
  const v = strOrNone(name, def, description, shownDefault);
  return v === '' ? def : v;
}

function int(name: string, def: number, description: string, shownDefault = String(def)): number {
  const raw = str(name, String(def), description, shownDefault);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`environment variable ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function fraction(name: string, def: number, description: string): number {
  const raw = str(name, String(def), description);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(`environment variable ${name} must be a number from 0 to 1, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], def: T, description: string): T {
  const raw = str(name, def, `${description} (${allowed.join(', ')})`);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`environment variable ${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

export const PG_SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export const KAFKA_SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
export const SMTP_TLS_MODES = ['none', 'starttls', 'tls'] as const;

/** A port whose default follows another setting's (so it moves with the stack's shifted ports). */
function portAfter(name: string, base: number, baseName: string, step: number, description: string): number {
  return int(name, base + step, description, `$${baseName} + ${step}`);
}

/** The HS256 secret a development stack signs with: public, so never acceptable in production. While JWT_SECRET is this, the gateway offers development sign-in (POST /dev/token). */
export const DEV_JWT_SECRET = 'dev-secret-change-me';
export const MIN_JWT_SECRET_BYTES = 32;

const cacheDefault = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'todo-actors');

export const config = {
  logLevel: str('LOG_LEVEL', 'info', 'winston log level of every service (error, warn, info, debug)'),
  serviceCpuProfileDir: str('SERVICE_CPU_PROFILE_DIR', '', 'local stack: when set, every service process runs with node --cpu-prof and writes a .cpuprofile into this directory when it stops (open it in Chrome DevTools; loadtest/README.md, "Where the time goes")'),
  cacheDir: str('TODO_CACHE_DIR', cacheDefault, 'where the local stack keeps built Dapr binaries, Kafka jars, data directories, logs and pid state', '~/.cache/todo-actors'),
  daprBuild: str('TODO_DAPR_BUILD', 'slim', 'local daprd build: slim (only the components this project uses) or stable (every stable component; slower to build)'),

  bindHost: str('BIND_HOST', '127.0.0.1', 'address the services listen on (0.0.0.0 in a container)'),
  gatewayPort: int('GATEWAY_PORT', 8080, 'gateway: REST API, WebSocket, /healthz and /readyz'),
  actorsPort: int('ACTORS_PORT', 8081, 'actor host (todo-actors) app port: Dapr actor callbacks only, each with its daprd\'s APP_API_TOKEN'),
  actorHosts: int('ACTOR_HOSTS', 1, 'local stack: how many actor-host processes (Dapr app id todo-actors), each with its own daprd, placement spreads the actors over them; host n ≥ 2 listens on ACTORS_PORT + 100·(n−1) and its sidecar on ACTORS_DAPR_HTTP_PORT + 100·(n−1)'),
  subscribersPort: int('SUBSCRIBERS_PORT', 8082, 'subscribers (todo-subscribers) app port: the internal audit query for the gateway through Dapr, with its daprd\'s APP_API_TOKEN'),
  gatewayMetricsPort: 0, actorsMetricsPort: 0, subscribersMetricsPort: 0, // set below, after the app ports they follow
  appApiToken: str('APP_API_TOKEN', '', "the token this service's daprd sends it (header dapr-api-token, Dapr's APP_API_TOKEN): the actor host and the subscribers refuse every other caller on their app port with 401 (only GET /healthz, daprd's app health probe, which carries no token, is open); the local stack sets it; required with NODE_ENV=production", '(set by the stack)'),
  daprApiToken: str('DAPR_API_TOKEN', '', "the token this service sends its own daprd (header dapr-api-token), which refuses API calls without it; the local stack sets it; required with NODE_ENV=production", '(set by the stack)'),

  daprHttpPort: int('DAPR_HTTP_PORT', 3500, "HTTP API port of this process's own Dapr sidecar (the stack sets it per service; the gateway's is 3500)"),
  gatewayDaprHttpPort: int('GATEWAY_DAPR_HTTP_PORT', 3500, "HTTP API port of the gateway's daprd"),
  actorsDaprHttpPort: int('ACTORS_DAPR_HTTP_PORT', 3501, "HTTP API port of the actor host's daprd"),
  subscribersDaprHttpPort: int('SUBSCRIBERS_DAPR_HTTP_PORT', 3502, "HTTP API port of the subscribers' daprd"),
  daprPortBase: int('DAPR_SIDECAR_PORT_BASE', 3510, 'first of the ports the local stack gives the sidecars for gRPC, internal gRPC, metrics and healthz (12 ports from here, 4 more per extra actor host; keep them below the ephemeral range, 32768+, where outgoing connections can hold them)'),
  placementPort: int('DAPR_PLACEMENT_PORT', 50005, 'Dapr placement service gRPC port'),
  schedulerPort: int('DAPR_SCHEDULER_PORT', 50006, 'Dapr scheduler service gRPC port'),
  sentryPort: int('DAPR_SENTRY_PORT', 50001, "local stack: Dapr sentry's gRPC port, the certificate authority of the sidecars' mTLS"),
  daprControlPortBase: int('DAPR_CONTROL_PORT_BASE', 3530, 'first of the ports the local stack gives placement, scheduler and sentry for healthz, metrics, raft and etcd (9 ports from here)'),

  pgHost: str('PGHOST', '127.0.0.1', 'PostgreSQL host'),
  pgPort: int('PGPORT', 5432, 'PostgreSQL port; the local stack falls back to 55432 when 5432 is taken by a server it did not start'),
  pgUser: str('PGUSER', 'todo', 'PostgreSQL user'),
  pgPassword: str('PGPASSWORD', 'todo', 'PostgreSQL password'),
  pgDatabase: str('PGDATABASE', 'todo', 'PostgreSQL database'),
  pgPoolSize: int('PG_POOL_SIZE', 10, "connections per service process (the actor host has 2 more: its outbox publisher's own pool)"),
  pgSslMode: oneOf('PGSSLMODE', PG_SSL_MODES, 'disable', 'TLS to PostgreSQL: disable, require (encrypted, server not verified) or verify-full (encrypted, certificate and host name verified)'),
  pgSslRootCert: str('PGSSLROOTCERT', '', 'verify-full: file of the CA certificates (PEM) that sign the server certificate; unset: the system CAs'),

  kafkaBrokers: str('KAFKA_BROKERS', '127.0.0.1:9092', 'Kafka bootstrap servers, comma separated'),
  kafkaTls: oneOf('KAFKA_TLS', ['false', 'true'], 'false', 'TLS to the Kafka brokers, verified against the system CAs (true on a managed Kafka such as OCI Streaming)') === 'true',
  kafkaSaslMechanism: oneOf('KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS, 'none', 'SASL authentication to Kafka'),
  kafkaSaslUsername: str('KAFKA_SASL_USERNAME', '', 'SASL user name (OCI Streaming: <tenancy>/<user>/<stream pool OCID>)'),
  kafkaSaslPassword: str('KAFKA_SASL_PASSWORD', '', 'SASL password (OCI Streaming: an auth token)'),
  kafkaControllerPort: int('KAFKA_CONTROLLER_PORT', 9093, 'local Kafka KRaft controller port'),
  kafkaPartitions: int('KAFKA_PARTITIONS', 12, 'partitions of every topic the services create'),
  kafkaReplicationFactor: int('KAFKA_REPLICATION_FACTOR', 1, 'replication factor of the topics the services create (3 on a managed cluster)'),
  kafkaRetentionMs: int('KAFKA_RETENTION_MS', 7 * 24 * 3600 * 1000, 'retention of every topic the services create'),

  consumerRetryPolicies: str('CONSUMER_RETRY_POLICIES', '', 'Kafka consumers: retry schedules of unclassified failures per consumer group and event type, `group/eventType=delay,…` separated by `;` (e.g. `audit/task.completed=30s,5m,30m`); they replace the defaults of the same group and type (subscribers/deadLetters/README.md has the table). Transient failures are retried without end, permanent ones dead-lettered at once'),
  consumerTransientRetryBaseMs: int('CONSUMER_TRANSIENT_RETRY_BASE_MS', 500, 'Kafka consumers: ceiling of the first wait after a transient failure (database or Kafka unreachable, timeout); later ceilings double (full jitter); retried for as long as it lasts, never dead-lettered'),
  consumerTransientRetryCapMs: int('CONSUMER_TRANSIENT_RETRY_CAP_MS', 30_000, 'Kafka consumers: largest wait between tries of a transient failure'),
  dltRetentionTaskEventsMs: int('DLT_RETENTION_TASK_EVENTS_MS', 30 * 24 * 3600 * 1000, 'retention of task-events.dlt (task events, completions among them, the audit gave up on): 30 days'),
  dltRetentionRemindersMs: int('DLT_RETENTION_REMINDERS_MS', 7 * 24 * 3600 * 1000, 'retention of reminders.dlt (reminders the audit or the emails gave up on): 7 days'),
  dltRetentionTaskUpdatesMs: int('DLT_RETENTION_TASK_UPDATES_MS', 14 * 24 * 3600 * 1000, 'retention of task-updates.dlt (what a device stream could not pass on): 14 days'),
  deadLetterBulkReplayMax: int('DEAD_LETTER_BULK_REPLAY_MAX', 1000, 'operator API: most dead letters one bulk replay (POST /v1/admin/dead-letters/replay) sends again'),

  smtpHost: str('SMTP_HOST', '127.0.0.1', 'SMTP server that notifications are sent through'),
  smtpPort: int('SMTP_PORT', 1025, 'SMTP port (the local stack runs a development sink there)'),
  smtpTls: oneOf('SMTP_TLS', SMTP_TLS_MODES, 'none', 'TLS to the SMTP server: none (the local sink), starttls (upgrade, required; port 587) or tls (implicit TLS; port 465)'),
  smtpUser: str('SMTP_USER', '', 'SMTP user name; unset: no authentication'),
  smtpPassword: str('SMTP_PASSWORD', '', 'SMTP password'),
  peerPortBase: int('PEER_PORT_BASE', Number(process.env.GATEWAY_PORT || 8080) + 10, 'bench only (`npm run bench -- --peer`): first of the 4 ports of the Restate peer (ingress, admin, node-to-node, the peer service)', 'GATEWAY_PORT + 10'),
  smtpSinkHttpPort: int('SMTP_SINK_HTTP_PORT', 8025, 'development SMTP sink: GET /messages lists every email it received'),
  notifyFrom: str('NOTIFY_FROM', 'reminders@todo.local', 'sender address of reminder emails'),
  publicBaseUrl: str('PUBLIC_BASE_URL', `http://127.0.0.1:${process.env.GATEWAY_PORT || 8080}`, 'public URL of the REST API, for the task link in reminder emails', 'http://127.0.0.1:$GATEWAY_PORT'),
  notifyRetryBaseMs: int('NOTIFY_RETRY_BASE_MS', 1000, 'reminder emails: ceiling of the first retry delay; each later ceiling doubles (full jitter picks a delay from 0 to the ceiling)'),
  notifyRetryCapMs: int('NOTIFY_RETRY_CAP_MS', 512_000, 'reminder emails: largest retry delay ceiling'),
  notifyMaxRetries: int('NOTIFY_MAX_RETRIES', 10, 'reminder emails: retries after a failed first try (11 tries in all by default, after waits of up to 1 s, 2 s … 512 s) before a reminder is marked failed and dead-lettered; a permanent SMTP refusal (5xx) is never retried'),
  notifyPollIntervalMs: int('NOTIFY_POLL_INTERVAL_MS', 1000, 'how often the notification subscriber looks for reminder emails whose retry is due'),
  notifyMaxAgeMs: int('NOTIFY_MAX_AGE_MS', 3_600_000, 'reminder emails: a reminder.due whose first try comes more than this long after the actor emitted it is not sent but failed as "expired" (say, old events a new consumer group reads from the topic); 0 sends whatever the age'),
  notifySmtpConnections: int('NOTIFY_SMTP_CONNECTIONS', 10, 'reminder emails: SMTP connections each subscriber process keeps open and sends over in parallel'),

  nodeEnv: str('NODE_ENV', '', 'production (the image sets it): every service refuses to start with a JWT_SECRET that is unset, the development default or shorter than 32 bytes, unless JWT_JWKS_URL is set'),
  jwtSecret: str('JWT_SECRET', DEV_JWT_SECRET, `HS256 secret for development tokens (ignored when JWT_JWKS_URL is set); with NODE_ENV=production it must be set, not the default, and at least ${MIN_JWT_SECRET_BYTES} bytes`),
  jwtJwksUrl: str('JWT_JWKS_URL', '', 'production: verify tokens against this JWKS URL instead of JWT_SECRET (then JWT_ISSUER and JWT_AUDIENCE are required)'),
  jwtIssuer: str('JWT_ISSUER', '', 'tokens must carry this iss (required with JWT_JWKS_URL; optional for HS256 tokens)'),
  jwtAudience: str('JWT_AUDIENCE', '', 'tokens must carry this aud (required with JWT_JWKS_URL; optional for HS256 tokens)'),
  jwtMaxLifetimeSeconds: int('JWT_MAX_LIFETIME_SECONDS', 24 * 3600, 'gateway: longest a token may live, exp − iat (exp − now without iat); a token that would live longer is refused, and so is one without exp; npm run token stays within it'),
  jwtClockSkewSeconds: int('JWT_CLOCK_SKEW_SECONDS', 60, 'gateway: how far in the future a token\'s iat may be (the issuer\'s clock ahead of ours) before the token is refused; also the slack on the lifetime check'),
  streamTicketSecret: str('STREAM_TICKET_SECRET', '', 'gateway: HMAC key of the device stream\'s tickets (POST /v1/stream/ticket), the same in every gateway process; unset: derived from JWT_SECRET, or with JWT_JWKS_URL a random key per process (a ticket is then redeemed only by the process that issued it)'),

  rateLimitPerSecond: int('RATE_LIMIT_PER_SECOND', 50, 'gateway: requests per second each user may make (sustained); 0 turns the limit off'),
  rateLimitBurst: int('RATE_LIMIT_BURST', 100, 'gateway: requests a user may make at once before the per-second limit applies'),
  rateLimitGateways: int('RATE_LIMIT_GATEWAYS', 1, 'gateway: how many gateway processes share the limits above; each enforces its share (RATE_LIMIT_PER_SECOND and RATE_LIMIT_BURST divided by this), so a user is held to the configured rate however the requests spread. The chart sets the replica count (the autoscaler\'s maximum)'),
  corsOrigins: str('CORS_ORIGINS', '', 'gateway: browser origins allowed by CORS, comma separated, * for any; empty allows none'),
  syncGroupId: str('SYNC_GROUP_ID', '', "gateway: Kafka consumer group of this process's device stream; default sync-<hostname>-<GATEWAY_PORT>, one per process"),
  streamMaxSocketsPerUser: int('STREAM_MAX_SOCKETS_PER_USER', 10, 'gateway: device stream sockets one user may hold open on this process; the next one is opened and closed at once with code 4029'),
  streamUpgradesPerMinute: int('STREAM_UPGRADES_PER_MINUTE', 30, 'gateway: device stream connections one user may open per minute (all at once, then refilled evenly); beyond it the upgrade is refused with 429 and Retry-After; 0 turns the limit off'),
  streamReplayMaxEvents: int('STREAM_REPLAY_MAX_EVENTS', 1000, 'gateway: most missed events a reconnecting device is sent (GET /v1/stream?after= or ?since=); beyond it the device is told to resync through the REST API'),
  maxOpenTasksPerUser: int('MAX_OPEN_TASKS_PER_USER', 10_000, 'actor host: open tasks one user may have; a create or reopen past it is refused with 409 quota_exceeded (completed tasks do not count)'),
  maxPendingRemindersPerUser: int('MAX_PENDING_REMINDERS_PER_USER', 5_000, 'actor host: pending reminders (set and not yet fired) one user may have; a write that would add more is refused with 409 quota_exceeded'),
  reminderLeadMs: int('REMINDER_LEAD_MS', 2000, "actor host: how long before its time Dapr triggers a reminder; the actor holds the trigger until the exact instant, so reminders that fall due together (a storm of thousands) still fire on time. The user's other calls wait behind a held trigger, at most this long; 0 triggers at the time itself"),
  eraseWaitMs: int('ERASE_WAIT_MS', 10_000, "gateway: how long DELETE /v1/me waits for the subscribers to erase the user's audit trail, notifications and dead letters before it answers 202 (their part then completes on its own)"),
  exportMaxAuditEvents: int('EXPORT_MAX_AUDIT_EVENTS', 100_000, "gateway: most audit events GET /v1/me/export includes (newest first); beyond it the export says auditComplete: false"),
  streamReplayAuditWaitMs: int('STREAM_REPLAY_AUDIT_WAIT_MS', 3000, "subscribers: how long a replay waits for the audit to record what was already published for the user before it answers 'audit_behind' (the device resyncs)"),
  outboxRelayIntervalMs: int('OUTBOX_RELAY_INTERVAL_MS', 2000, 'how often the actor host re-publishes outbox rows a crash or a Kafka outage left behind'),
  outboxRetentionMs: int('OUTBOX_RETENTION_MS', 3_600_000, 'how long the actor host keeps an outbox row after it reached Kafka (nothing reads it then; the device stream replays from the audit store); 0 keeps them for ever'),
  outboxPruneIntervalMs: int('OUTBOX_PRUNE_INTERVAL_MS', 60_000, 'how often the actor host deletes outbox rows past OUTBOX_RETENTION_MS'),
  auditRetentionMs: int('AUDIT_RETENTION_MS', 365 * 24 * 3600 * 1000, 'subscribers: how long an audit_log row, and an operator action in admin_actions, is kept after it was recorded (GET /v1/audit and the device stream\'s replay read audit_log); 0 keeps them for ever'),
  idempotencyKeyRetentionMs: int('IDEMPOTENCY_KEY_RETENTION_MS', 7 * 24 * 3600 * 1000, 'actor host: how long an Idempotency-Key is remembered (the same key after that creates a new task); 0 keeps them for ever'),
  notificationRetentionMs: int('NOTIFICATION_RETENTION_MS', 30 * 24 * 3600 * 1000, 'subscribers: how long a sent or failed notification row is kept (pending and sending ones are never deleted); must exceed the reminders topic\'s retention (KAFKA_RETENTION_MS), as the row is what stops a re-read reminder.due from being emailed twice; 0 keeps them for ever'),
  deadLetterIndexRetentionMs: int('DEAD_LETTER_INDEX_RETENTION_MS', 30 * 24 * 3600 * 1000, 'subscribers: how long the dead-letter index keeps a row (the dead-letter topics keep their messages for DLT_RETENTION_*); 0 keeps them for ever'),
  retentionPruneIntervalMs: int('RETENTION_PRUNE_INTERVAL_MS', 300_000, 'how often the services delete rows past the retentions above, in batches'),
  actorCallTimeoutMs: int('ACTOR_CALL_TIMEOUT_MS', 10000, 'gateway: timeout of one actor invocation through Dapr'),
  httpKeepAliveTimeoutMs: int('HTTP_KEEPALIVE_TIMEOUT_MS', 95_000, 'how long every service keeps an idle HTTP keep-alive connection open; above the idle timeout of whatever calls it (daprd: 90 s; a load balancer: often 60 s), or a request sent as the server closes the connection fails (Node\'s own default is 5 s)'),

  prometheusPort: int('PROMETHEUS_PORT', 9090, 'local stack: Prometheus (scrapes every service, sidecar, placement and scheduler; evaluates monitoring/alerts/*.rules.yaml)'),
  alertmanagerPort: int('ALERTMANAGER_PORT', 9094, 'local stack: Alertmanager (monitoring/alertmanager.yaml: alerts as emails to the SMTP sink); 9093 is the Kafka controller\'s'),
  zipkinPort: int('ZIPKIN_PORT', 9411, 'local stack: Zipkin (traces of every service and sidecar, in memory)'),
  alertEmailFrom: str('ALERT_EMAIL_FROM', 'alertmanager@todo.local', 'Alertmanager: sender of alert emails (monitoring/alertmanager.yaml; SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER and SMTP_PASSWORD as for reminders)'),
  alertEmailCritical: str('ALERT_EMAIL_CRITICAL', 'oncall@todo.local', 'Alertmanager: who gets alerts of severity critical (page now)'),
  alertEmailWarning: str('ALERT_EMAIL_WARNING', 'operators@todo.local', 'Alertmanager: who gets alerts of severity warning (working hours)'),
  tracingZipkinUrl: strOrNone('TRACING_ZIPKIN_URL', `http://127.0.0.1:${process.env.ZIPKIN_PORT || 9411}/api/v2/spans`, 'where the services send their spans (Zipkin v2 JSON API); set to empty: the services record no spans and carry no trace context, so their logs and events have no trace ids (the chart sets it so while dapr.tracing.zipkinEndpoint is empty; the sidecars\' tracing is Dapr\'s configuration)', 'http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans'),
  tracingSamplingRate: fraction('TRACING_SAMPLING_RATE', 1, 'share of new traces the services record, 0 to 1 (a request that arrives with a traceparent follows its sampled flag); the chart\'s values-oke.yaml sets 0.1'),

  testFault: str('TODO_TEST_FAULT', '', 'TESTS ONLY, never in production: a fault the actor host injects on purpose; crash-after-complete-commit makes it exit right after a task completion commits, before it answers (actors/testFaults.ts)'),
};

config.gatewayMetricsPort = portAfter('GATEWAY_METRICS_PORT', config.gatewayPort, 'GATEWAY_PORT', 6, 'gateway: /metrics, /healthz and /readyz for Prometheus and the probes (never routed by the ingress)');
config.actorsMetricsPort = portAfter('ACTORS_METRICS_PORT', config.actorsPort, 'ACTORS_PORT', 6, 'actor host: /metrics, /healthz and /readyz (actor host n ≥ 2 of the local stack: + 100·(n−1))');
config.subscribersMetricsPort = portAfter('SUBSCRIBERS_METRICS_PORT', config.subscribersPort, 'SUBSCRIBERS_PORT', 6, 'subscribers: /metrics, /healthz and /readyz');

export type Config = typeof config;

/** The settings above with their defaults and meaning, in declaration order (for the README table). */
export function documentedSettings(): readonly SettingDoc[] {
  return documented;
}

export const SERVICE_APP_IDS = {
  gateway: 'todo-gateway',
  actors: 'todo-actors',
  subscribers: 'todo-subscribers',
} as const;

export function kafkaBrokerList(c: Config = config): string[] {
  return c.kafkaBrokers.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Settings no service may start with (each reason names the variable): in production, an HS256
 * secret that is missing, the public development default, or shorter than 32 bytes; anywhere, a
 * JWKS without the issuer and audience its tokens must carry (any tenant of a shared identity
 * provider could mint a token the gateway would accept).
 */
export function unsafeSettings(c: Pick<Config, 'nodeEnv' | 'jwtSecret' | 'jwtJwksUrl' | 'jwtIssuer' | 'jwtAudience'> = config): string[] {
  const out: string[] = [];
  if (c.jwtJwksUrl) {
    if (!c.jwtIssuer) out.push('JWT_ISSUER must be set when JWT_JWKS_URL is (tokens must carry this iss)');
    if (!c.jwtAudience) out.push('JWT_AUDIENCE must be set when JWT_JWKS_URL is (tokens must carry this aud)');
  } else if (c.nodeEnv === 'production') {
    const bytes = Buffer.byteLength(c.jwtSecret, 'utf8');
    if (c.jwtSecret === DEV_JWT_SECRET) out.push('JWT_SECRET is unset or the public development default; with NODE_ENV=production set JWT_JWKS_URL, or JWT_SECRET to a random secret of at least 32 bytes');
    else if (bytes < MIN_JWT_SECRET_BYTES) out.push(`JWT_SECRET is ${bytes} bytes; with NODE_ENV=production it must be at least ${MIN_JWT_SECRET_BYTES} (or set JWT_JWKS_URL)`);
  }
  return out;
}
