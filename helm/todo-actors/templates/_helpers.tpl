{{/*
The three services: values key, Dapr app id (also the Deployment's and the Service's name, which
monitoring/README.md relies on) and the variable the service reads its port from. The same ids are
SERVICE_APP_IDS in common/config.ts; stack/deployCheck/chartSourceOfTruth.deploycheck.test.ts checks the
rendered chart against it.
*/}}
{{- define "todo-actors.services" -}}
- key: gateway
  appId: todo-gateway
  portEnv: GATEWAY_PORT
  metricsPortEnv: GATEWAY_METRICS_PORT
- key: actors
  appId: todo-actors
  portEnv: ACTORS_PORT
  metricsPortEnv: ACTORS_METRICS_PORT
- key: subscribers
  appId: todo-subscribers
  portEnv: SUBSCRIBERS_PORT
  metricsPortEnv: SUBSCRIBERS_METRICS_PORT
{{- end -}}

{{/* The only service invocations allowed (SERVICE_INVOCATIONS in common/daprResources.ts, compared by deploy:check). */}}
{{- define "todo-actors.invocations" -}}
- caller: todo-gateway
  callee: todo-subscribers
  operations:
    - { name: /audit, httpVerb: [GET] }
    - { name: /audit/replay, httpVerb: [GET] }
    - { name: /audit/erasures, httpVerb: [GET] }
    - { name: /admin/**, httpVerb: [GET, POST] }
{{- end -}}

{{/* Names shared with common/daprResources.ts (checked by the same test). */}}
{{- define "todo-actors.configurationName" -}}todo-config{{- end -}}
{{- define "todo-actors.resiliencyName" -}}todo-resiliency{{- end -}}
{{- define "todo-actors.pubsubName" -}}kafka-pubsub{{- end -}}
{{- define "todo-actors.stateStoreName" -}}actorstate{{- end -}}
{{/* The Dapr operator resolves component secretKeyRefs itself only for a secret store of this name. */}}
{{- define "todo-actors.secretStoreName" -}}kubernetes{{- end -}}
{{/* ACTOR_RUNTIME.drainOngoingCallTimeoutSeconds: what the actor host answers on GET /dapr/config. */}}
{{- define "todo-actors.actorDrainSeconds" -}}15{{- end -}}
{{/* The Dapr sidecar's HTTP port in Kubernetes (fixed by the injector). */}}
{{- define "todo-actors.daprHttpPort" -}}3500{{- end -}}
{{/* The sidecar's internal gRPC port: sidecar-to-sidecar calls (service invocation, actors). */}}
{{- define "todo-actors.daprInternalGrpcPort" -}}50002{{- end -}}

{{- define "todo-actors.chart" -}}
{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels of everything; call with (dict "root" $ "svc" $svc) or (dict "root" $) for shared resources. */}}
{{- define "todo-actors.labels" -}}
helm.sh/chart: {{ include "todo-actors.chart" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: todo-actors
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{- with .svc }}
app.kubernetes.io/name: {{ .appId }}
app.kubernetes.io/component: {{ .key }}
{{- end }}
{{- end -}}

{{- define "todo-actors.selectorLabels" -}}
app.kubernetes.io/name: {{ .svc.appId }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "todo-actors.image" -}}
{{- $v := index .root.Values .svc.key -}}
{{ .root.Values.image.registry }}/{{ $v.image.repository }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{- define "todo-actors.publicBaseUrl" -}}
{{- if .Values.app.publicBaseUrl -}}
{{ .Values.app.publicBaseUrl }}
{{- else -}}
https://{{ .Values.ingress.host }}
{{- end -}}
{{- end -}}

{{/* A Secret key reference as an env var: (dict "name" "PGPASSWORD" "secret" "s" "key" "k"). */}}
{{- define "todo-actors.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{/* (dict "root" $ "svc" $svc): the Kafka settings of one service, with its own SASL user. */}}
{{- define "todo-actors.env.kafka" -}}
{{- $k := .root.Values.kafka -}}
- name: KAFKA_BROKERS
  value: {{ $k.brokers | quote }}
- name: KAFKA_TLS
  value: {{ $k.tls | toString | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
{{- if ne $k.sasl.mechanism "none" }}
{{- $secret := index $k.sasl.secrets .svc.key }}
{{ include "todo-actors.secretEnv" (dict "name" "KAFKA_SASL_USERNAME" "secret" $secret "key" $k.sasl.usernameKey) }}
{{ include "todo-actors.secretEnv" (dict "name" "KAFKA_SASL_PASSWORD" "secret" $secret "key" $k.sasl.passwordKey) }}
{{- end }}
- name: KAFKA_PARTITIONS
  value: {{ $k.partitions | quote }}
- name: KAFKA_REPLICATION_FACTOR
  value: {{ $k.replicationFactor | quote }}
- name: KAFKA_RETENTION_MS
  value: {{ $k.retentionMs | int64 | quote }}
{{- end -}}

{{/* Dapr's token Secrets of one service, (dict "root" $ "svc" $svc): key `token` in each. */}}
{{- define "todo-actors.apiTokenSecret" -}}{{ .svc.appId }}-{{ .root.Values.dapr.apiTokens.apiTokenSecretSuffix }}{{- end -}}
{{- define "todo-actors.appTokenSecret" -}}{{ .svc.appId }}-{{ .root.Values.dapr.apiTokens.appTokenSecretSuffix }}{{- end -}}

{{- define "todo-actors.pgCaDir" -}}/etc/todo-actors/postgresql-ca{{- end -}}

{{- define "todo-actors.env.postgresql" -}}
{{- $p := .Values.postgresql -}}
- name: PGHOST
  value: {{ $p.host | quote }}
- name: PGPORT
  value: {{ $p.port | quote }}
- name: PGDATABASE
  value: {{ $p.database | quote }}
- name: PGUSER
  value: {{ $p.user | quote }}
{{ include "todo-actors.secretEnv" (dict "name" "PGPASSWORD" "secret" $p.existingSecret "key" $p.passwordKey) }}
- name: PGSSLMODE
  value: {{ $p.sslMode | quote }}
{{- if $p.caSecret.name }}
- name: PGSSLROOTCERT
  value: {{ printf "%s/%s" (include "todo-actors.pgCaDir" .) $p.caSecret.key | quote }}
{{- end }}
- name: PG_POOL_SIZE
  value: {{ .Values.app.pgPoolSize | quote }}
{{- end -}}

{{/* The environment of one service's container: what differs from the local defaults. */}}
{{- define "todo-actors.env" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .svc.key -}}
- name: LOG_LEVEL
  value: {{ $root.Values.app.logLevel | quote }}
- name: BIND_HOST
  value: "0.0.0.0"
- name: {{ .svc.portEnv }}
  value: {{ $v.port | quote }}
- name: {{ .svc.metricsPortEnv }}
  value: {{ $v.metricsPort | quote }}
- name: DAPR_HTTP_PORT
  value: {{ include "todo-actors.daprHttpPort" $root | quote }}
{{ include "todo-actors.secretEnv" (dict "name" "DAPR_API_TOKEN" "secret" (include "todo-actors.apiTokenSecret" .) "key" "token") }}
{{- if ne .svc.key "gateway" }}
{{ include "todo-actors.secretEnv" (dict "name" "APP_API_TOKEN" "secret" (include "todo-actors.appTokenSecret" .) "key" "token") }}
{{- end }}
- name: TRACING_ZIPKIN_URL
  value: {{ $root.Values.dapr.tracing.zipkinEndpoint | quote }}
- name: TRACING_SAMPLING_RATE
  value: {{ $root.Values.dapr.tracing.samplingRate | quote }}
{{ include "todo-actors.env.kafka" . }}
{{- if eq .svc.key "gateway" }}
- name: ACTOR_CALL_TIMEOUT_MS
  value: {{ $root.Values.app.actorCallTimeoutMs | quote }}
- name: RATE_LIMIT_PER_SECOND
  value: {{ $root.Values.app.rateLimit.perSecond | quote }}
- name: RATE_LIMIT_BURST
  value: {{ $root.Values.app.rateLimit.burst | quote }}
{{- /* Each gateway enforces its share of the limit: the most gateways that can run at once. */}}
- name: RATE_LIMIT_GATEWAYS
  value: {{ ternary $v.autoscaling.maxReplicas $v.replicas $v.autoscaling.enabled | quote }}
- name: CORS_ORIGINS
  value: {{ $root.Values.app.corsOrigins | quote }}
{{- with $root.Values.auth }}
{{- if .jwksUrl }}
- name: JWT_JWKS_URL
  value: {{ .jwksUrl | quote }}
{{- else }}
{{ include "todo-actors.secretEnv" (dict "name" "JWT_SECRET" "secret" .hs256Secret.existingSecret "key" .hs256Secret.key) }}
{{- end }}
- name: JWT_ISSUER
  value: {{ .issuer | quote }}
- name: JWT_AUDIENCE
  value: {{ .audience | quote }}
{{- if .streamTicketSecret.existingSecret }}
{{ include "todo-actors.secretEnv" (dict "name" "STREAM_TICKET_SECRET" "secret" .streamTicketSecret.existingSecret "key" .streamTicketSecret.key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .svc.key "actors" }}
{{ include "todo-actors.env.postgresql" $root }}
- name: OUTBOX_RELAY_INTERVAL_MS
  value: {{ $root.Values.app.outboxRelayIntervalMs | quote }}
- name: OUTBOX_RETENTION_MS
  value: {{ $root.Values.app.outboxRetentionMs | quote }}
{{- end }}
{{- if eq .svc.key "subscribers" }}
{{ include "todo-actors.env.postgresql" $root }}
{{- with $root.Values.smtp }}
- name: SMTP_HOST
  value: {{ .host | quote }}
- name: SMTP_PORT
  value: {{ .port | quote }}
- name: SMTP_TLS
  value: {{ .tls | quote }}
{{- if .existingSecret }}
{{ include "todo-actors.secretEnv" (dict "name" "SMTP_USER" "secret" .existingSecret "key" .usernameKey) }}
{{ include "todo-actors.secretEnv" (dict "name" "SMTP_PASSWORD" "secret" .existingSecret "key" .passwordKey) }}
{{- end }}
- name: NOTIFY_FROM
  value: {{ .from | quote }}
{{- end }}
- name: PUBLIC_BASE_URL
  value: {{ include "todo-actors.publicBaseUrl" $root | quote }}
{{- end }}
{{- end -}}

{{/*
Checks that values alone cannot express: secrets that must be named, and shutdown budgets that
must add up (values.yaml explains the order of shutdown). Fails the render with the reason.
*/}}
{{- define "todo-actors.validate" -}}
{{- $root := . -}}
{{- if and (not .Values.auth.jwksUrl) (not .Values.auth.hs256Secret.existingSecret) -}}
{{- fail "auth: set auth.jwksUrl, or auth.hs256Secret.existingSecret (a Secret with the HS256 key); without either the gateway would accept tokens signed with its development secret" -}}
{{- end -}}
{{- if and .Values.auth.jwksUrl (or (not .Values.auth.issuer) (not .Values.auth.audience)) -}}
{{- fail "auth.jwksUrl is set: set auth.issuer and auth.audience too (JWT_ISSUER, JWT_AUDIENCE); without them any token the identity provider signs, for any application, would be accepted, and the gateway refuses to start" -}}
{{- end -}}
{{- if not .Values.auth.jwksUrl -}}
{{- /* Only on install/upgrade against a cluster: `helm template` cannot read Secrets (lookup is empty). */ -}}
{{- $jwt := lookup "v1" "Secret" .Release.Namespace .Values.auth.hs256Secret.existingSecret -}}
{{- if and $jwt $jwt.data -}}
{{- $raw := index $jwt.data .Values.auth.hs256Secret.key | default "" | b64dec -}}
{{- if eq $raw "dev-secret-change-me" -}}
{{- fail (printf "auth.hs256Secret: Secret %s key %s holds the public development secret; put a random secret of at least 32 bytes there (openssl rand -base64 48)" .Values.auth.hs256Secret.existingSecret .Values.auth.hs256Secret.key) -}}
{{- else if lt (len $raw) 32 -}}
{{- fail (printf "auth.hs256Secret: Secret %s key %s holds %d bytes; JWT_SECRET must be at least 32 (openssl rand -base64 48), and the gateway refuses to start with less" .Values.auth.hs256Secret.existingSecret .Values.auth.hs256Secret.key (len $raw)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if ne .Values.kafka.sasl.mechanism "none" -}}
{{- range $key, $secret := .Values.kafka.sasl.secrets -}}
{{- if not $secret -}}
{{- fail (printf "kafka.sasl.mechanism is %s: set kafka.sasl.secrets.%s (the Secret with that service's Kafka user name and password)" $root.Values.kafka.sasl.mechanism $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.kafka.tls (eq .Values.kafka.sasl.mechanism "none") -}}
{{- fail "kafka.tls without kafka.sasl: Dapr's pubsub.kafka turns TLS off for authType none and wants a CA certificate for authType certificate, which this chart does not configure; use SASL over TLS, or tls: false" -}}
{{- end -}}
{{- range $svc := include "todo-actors.services" $root | fromYamlArray -}}
{{- $v := index $root.Values $svc.key -}}
{{- $grace := int $v.shutdown.terminationGracePeriodSeconds -}}
{{- $preStop := int $v.shutdown.preStopSeconds -}}
{{- $sidecar := int $v.sidecar.gracefulShutdownSeconds -}}
{{- if eq $svc.key "actors" -}}
{{- $drain := int (include "todo-actors.actorDrainSeconds" $root) -}}
{{- if lt $sidecar (add $drain 5) -}}
{{- fail (printf "actors.sidecar.gracefulShutdownSeconds (%d) must cover the actor drain timeout (%d s) plus 5 s to deactivate the actors" $sidecar $drain) -}}
{{- end -}}
{{- if lt $preStop $sidecar -}}
{{- fail (printf "actors.shutdown.preStopSeconds (%d) must be at least actors.sidecar.gracefulShutdownSeconds (%d): the actor host must outlive its sidecar's drain" $preStop $sidecar) -}}
{{- end -}}
{{- if lt $grace (add $preStop 10) -}}
{{- fail (printf "actors.shutdown.terminationGracePeriodSeconds (%d) must leave the app 10 s to stop after its preStop (%d s)" $grace $preStop) -}}
{{- end -}}
{{- else -}}
{{- $block := int $v.sidecar.blockShutdownSeconds -}}
{{- if le $block $preStop -}}
{{- fail (printf "%s.sidecar.blockShutdownSeconds (%d) must exceed %s.shutdown.preStopSeconds (%d): the sidecar must serve until the app has stopped" $svc.key $block $svc.key $preStop) -}}
{{- end -}}
{{- if lt $grace (add $block $sidecar) -}}
{{- fail (printf "%s.shutdown.terminationGracePeriodSeconds (%d) must cover the sidecar's blockShutdownSeconds + gracefulShutdownSeconds (%d)" $svc.key $grace (add $block $sidecar)) -}}
{{- end -}}
{{- end -}}
{{- if and $v.autoscaling.enabled (lt (int $v.autoscaling.maxReplicas) (int $v.autoscaling.minReplicas)) -}}
{{- fail (printf "%s.autoscaling.maxReplicas must be at least minReplicas" $svc.key) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* USER_ACTOR_METHODS (common/actorApi.ts): the metrics' path names. */}}
{{- define "todo-actors.actorMethods" -}}
- createTask
- getTask
- listTasks
- updateTask
- deleteTask
- completeTask
- reopenTask
- chat
- exportUser
- eraseUser
- fireOverdueReminder
{{- end -}}
