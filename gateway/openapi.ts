/**
 * The OpenAPI 3.1 document served at GET /v1/openapi.json. Its schemas are the JSON Schemas the
 * gateway and the actor validate with (common/tasks/schemas, common/events/schemas), so the
 * document cannot drift from the code; gateway/openapi.e2e.test.ts checks real responses against it.
 */
import taskSchema from '../common/tasks/schemas/task.json';
import taskCreateSchema from '../common/tasks/schemas/task-create.json';
import taskPatchSchema from '../common/tasks/schemas/task-patch.json';
import envelopeSchema from '../common/events/schemas/envelope.json';
import { MAX_LIMIT, SORT_FIELDS } from '../common/tasks/listQuery';
import { CHAT_INTENTS, MAX_CHAT_MESSAGE_LENGTH as MAX_MESSAGE_LENGTH } from '../common/actorApi';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schemaName: string, description: string) => ({ description, content: { 'application/json': { schema: ref(schemaName) } } });
const withoutId = ({ $id: _id, ...rest }: Record<string, unknown>) => rest;

const errors = {
  400: json('Error', 'invalid input; `details` names every offending field'),
  401: json('Error', 'no token, a bad signature, `alg: none`, an expired token, or a token outside the policy: no `exp`, a lifetime over JWT_MAX_LIFETIME_SECONDS (24 h), an `iat` in the future, a wrong or (with a JWKS) missing `iss`/`aud`, an `email` that is not one mailbox; `error.message` gives the reason (gateway/security/README.md)'),
  413: json('Error', 'the body is over 1 MiB'),
  429: { ...json('Error', 'too many requests for this user'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  503: json('Error', 'a dependency did not answer; retry (POST with the same Idempotency-Key)'),
};
const keyReused = { 422: json('Error', '`idempotency_key_reused`: this Idempotency-Key was used before with a different request') };
const notFound = { 404: json('Error', 'no such task for this user') };
const forbidden = { 403: json('Error', 'the token\'s `roles` claim does not contain `operator`') };
const deadLetterId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9._-]+\\.dlt:[0-9]+:[0-9]+$' }, description: 'as the listing gives it: `<dead-letter topic>:<partition>:<offset>`' };
const adminErrors = { 400: errors[400], 401: errors[401], ...forbidden, 429: errors[429], 503: errors[503] };
const taskId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the task version last seen, e.g. "3"; a stale one answers 412' };
const etag = { ETag: { schema: { type: 'string' }, description: 'the task version, quoted' } };
const trace = {
  traceparent: { schema: { type: 'string' }, description: 'the W3C traceparent of this request\'s trace (every /v1 answer has it): its trace id finds the trace in Zipkin (monitoring/README.md)' },
  'Server-Timing': { schema: { type: 'string' }, description: 'the same, as `traceparent;desc="00-<trace id>-<span id>-<flags>"`, which browsers\' developer tools show' },
};
const taskResponse = (description: string) => ({ ...json('Task', description), headers: { ...etag, ...trace } });

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'todo-actors',
    version: '1.0.0',
    description: 'Task management on Dapr virtual actors. Every /v1 call needs `Authorization: Bearer <JWT>`; the user is the token\'s `sub`.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/v1/tasks': {
      post: {
        summary: 'Create a task',
        description: 'A reminder whose time is less than 60 s in the past fires at once, late (its email says so); one further back, or a `before` reminder whose time has passed because the due time is near, answers 400 naming it (`reminders.<i>`). PATCH applies the same rule to the reminders it sets or moves.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'the same key with the same body returns the same task, never a second one; with another body it is 422 (draft-ietf-httpapi-idempotency-key-header)' },
          { name: 'X-Timezone', in: 'header', required: false, schema: { type: 'string' }, description: 'the caller\'s IANA zone when the token has no zoneinfo claim' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TaskCreate') } } },
        responses: { 201: taskResponse('created'), 200: taskResponse('the task this Idempotency-Key created before'), ...keyReused, ...errors },
      },
      get: {
        summary: 'List the caller\'s tasks',
        parameters: [
          { name: 'status', in: 'query', schema: { enum: ['open', 'completed'] } },
          { name: 'priority', in: 'query', schema: { enum: ['none', 'low', 'medium', 'high', 'urgent'] } },
          { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true, description: 'repeatable; tasks carrying every tag given' },
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'case-insensitive text in title, description or tags' },
          { name: 'dueAfter', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'due at or after this instant' },
          { name: 'dueBefore', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'due before this instant' },
          { name: 'overdue', in: 'query', schema: { type: 'boolean' }, description: 'open tasks whose due time has passed' },
          { name: 'sort', in: 'query', schema: { enum: [...SORT_FIELDS], default: 'due' }, description: 'tasks without a due time sort after all others (ascending)' },
          { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'], default: 'asc' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page, with the same filters and sort' },
        ],
        responses: { 200: json('TaskList', 'one page'), ...errors },
      },
    },
    '/v1/tasks/{id}': {
      parameters: [taskId],
      get: { summary: 'One task', responses: { 200: taskResponse('the task'), ...notFound, ...errors } },
      patch: {
        summary: 'Change some fields',
        parameters: [ifMatch],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TaskPatch') } } },
        responses: { 200: taskResponse('the changed task'), ...notFound, 409: json('Error', 'changed at the same time elsewhere'), 412: json('Error', 'If-Match names a stale version'), ...errors },
      },
      delete: { summary: 'Delete a task', parameters: [ifMatch], responses: { 204: { description: 'deleted' }, ...notFound, 412: json('Error', 'stale version'), ...errors } },
    },
    '/v1/tasks/{id}/complete': {
      parameters: [taskId],
      post: { summary: 'Complete a task; a recurring one gets its next occurrence', parameters: [ifMatch], responses: { 200: json('CompleteResult', 'the completed task and its next occurrence, if any'), ...notFound, ...errors } },
    },
    '/v1/tasks/{id}/reopen': {
      parameters: [taskId],
      post: { summary: 'Undo completion', parameters: [ifMatch], responses: { 200: taskResponse('the reopened task'), ...notFound, ...errors } },
    },
    '/v1/chat': {
      post: {
        summary: 'Plain-English task management: one message, one reply',
        description: 'The message runs through the caller\'s UserActor like the REST calls. Dates are read in the caller\'s zone (zoneinfo claim or X-Timezone). Where a reference is ambiguous or matches nothing, the answer is `clarify` with a question naming the candidates, and nothing changes; the next message may answer it ("the second one", "yes"). Unknown input answers `help` or `clarify`, never creates a task.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'a retried message that creates a task returns the same task; the same key with another message is 422' },
          { name: 'X-Timezone', in: 'header', required: false, schema: { type: 'string' }, description: 'the caller\'s IANA zone when the token has no zoneinfo claim' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('ChatRequest') } } },
        responses: { 200: json('ChatReply', 'the reply'), ...keyReused, ...errors },
      },
    },
    '/v1/audit': {
      get: {
        summary: 'The caller\'s audit trail, newest first',
        parameters: [{ name: 'taskId', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } }],
        responses: { 200: json('AuditPage', 'one page of events'), ...errors },
      },
    },
    '/v1/me/export': {
      get: {
        summary: 'Everything held about the caller, as one JSON document',
        description: 'The profile (email, zone), every task (open and completed), every pending reminder and the audit trail (newest first, up to EXPORT_MAX_AUDIT_EVENTS; `auditComplete` says whether it is all of it). Served as an attachment. Recorded in the audit trail as `user.exported` (counts only).',
        responses: { 200: json('UserExport', 'the export'), ...errors },
      },
    },
    '/v1/me': {
      delete: {
        summary: 'Erase everything held about the caller, and say what was erased',
        description: 'The caller\'s UserActor erases their tasks, pending reminders (cancelled: none fires after this), idempotency keys, profile and actor state, and emits `user.erased` (counts only); the subscribers erase the audit trail, notifications and dead letters older than that event when they record it, and never record an older event of the user again. 200 when both parts are done; 202 when the subscribers\' part is still under way after ERASE_WAIT_MS (it completes on its own; `pending` names what). The user may use the API again afterwards, as a new user.',
        responses: { 200: json('UserErasure', 'erased'), 202: json('UserErasure', 'the actor\'s part erased; the subscribers\' part under way'), ...errors },
      },
    },
    '/v1/admin/dead-letters': {
      get: {
        summary: 'Operators: the dead letters, newest first',
        description: 'Every message a consumer group gave up on, read from the dead-letter topics (`<topic>.dlt`) into an index; listing never removes anything from a topic. Needs `operator` in the token\'s `roles` claim. Recorded in the operators\' audit trail.',
        parameters: [
          { name: 'topic', in: 'query', schema: { type: 'string' }, description: 'the source topic (task-events, reminders, task-updates) or its dead-letter topic' },
          { name: 'group', in: 'query', schema: { type: 'string' }, description: 'the consumer group that gave up (audit, notifications, sync-…)' },
          { name: 'status', in: 'query', schema: { enum: ['dead', 'replayed', 'discarded'] } },
          { name: 'eventId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: { 200: json('DeadLetterPage', 'one page of dead letters'), ...adminErrors },
      },
    },
    '/v1/admin/dead-letters/replay': {
      post: {
        summary: 'Operators: replay every dead letter matching a filter',
        description: 'Each matching dead letter (status `dead` unless `status` says otherwise; discarded ones never; a device stream\'s never) is sent again, with its key and value, on the topic dead-letter-replays, for the consumer group that gave up only (`audit` or `notifications`). Consumers are idempotent by eventId: a replayed reminder email is sent once however often it is replayed.',
        requestBody: { required: true, content: { 'application/json': { schema: ref('DeadLetterFilter') } } },
        responses: { 200: json('ReplayResult', 'what was replayed and what was skipped'), ...adminErrors },
      },
    },
    '/v1/admin/dead-letters/{id}/replay': {
      post: {
        summary: 'Operators: send one dead letter again, to the consumer group that gave up',
        parameters: [deadLetterId],
        responses: { 200: json('DeadLetterActed', 'sent again'), ...adminErrors, 404: json('Error', 'no dead letter with this id'), 409: json('Error', 'the dead letter was discarded, or is a device stream\'s (live only: never replayed)') },
      },
    },
    '/v1/admin/dead-letters/{id}/discard': {
      post: {
        summary: 'Operators: mark one dead letter handled; it is never replayed',
        parameters: [deadLetterId],
        responses: { 200: json('DeadLetterActed', 'discarded'), ...adminErrors, 404: json('Error', 'no dead letter with this id'), 409: json('Error', 'already discarded') },
      },
    },
    '/v1/stream': {
      get: {
        summary: 'WebSocket: every event of the caller\'s tasks, live, with replay of what a device missed',
        description: 'Upgrade to a WebSocket. The caller: a Bearer header, or `?ticket=` from POST /v1/stream/ticket (browsers cannot set headers on a WebSocket); a JWT in the URL (`?token=`) is refused. Every frame is one JSON object: an `Event` (the envelope of docs/API.md, Events), or, only after a replay request, a control frame whose `type` starts with `stream.`: `stream.replayed` (`count`, `lastEventId`: the missed events were sent, what follows is live) or `stream.resync` (`reason`: unknown_event, too_many, audit_behind, audit_unavailable; fetch GET /v1/tasks, then apply the live events that follow). `after` is the last eventId the device saw; the missed events come in the user\'s commit order, then the live ones, each once. A socket with over 1 MiB unsent is closed with 4008; a socket past the STREAM_MAX_SOCKETS_PER_USER (10) of its user is opened and closed with 4029; a socket is closed with 4001 when its token (or the token of its ticket) expires. Protocol: gateway/stream/README.md.',
        parameters: [
          { name: 'ticket', in: 'query', required: false, schema: { type: 'string' }, description: 'a single-use ticket from POST /v1/stream/ticket (valid 60 s), for clients that cannot set the Authorization header' },
          { name: 'after', in: 'query', required: false, schema: { type: 'string', format: 'uuid' }, description: 'replay: the events after this one (the last eventId this device saw)' },
          { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'replay: every event whose time is at or after this instant (not with after)' },
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string', format: 'uuid' }, description: 'the same as after' },
        ],
        responses: {
          101: { description: 'switching to the WebSocket protocol; frames as described above' },
          400: json('Error', 'after, since or Last-Event-ID is malformed, or after and since are both given; `details` names the field'),
          401: json('Error', 'no Bearer token and no ticket; a token that is not valid; a ticket that is forged, expired or already used; or a JWT in the URL'),
          429: { ...json('Error', 'more than STREAM_UPGRADES_PER_MINUTE (30) connects a minute for this user'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
        },
      },
    },
    '/v1/stream/ticket': {
      post: {
        summary: 'A single-use ticket for GET /v1/stream?ticket=…, valid 60 s',
        description: 'For browsers, which cannot send an Authorization header on a WebSocket: the long-lived token stays in the header of this request, and only the short-lived ticket goes into the stream\'s URL. A ticket opens one socket, once, for the caller (and zone) of the token it was issued for, and not past that token\'s expiry. Protocol: gateway/stream/README.md.',
        responses: { 201: json('StreamTicket', 'the ticket'), 401: errors[401], 429: errors[429] },
      },
    },
    '/': { get: { summary: 'The web page (gateway/web/README.md): chat, the task list, live updates', security: [], responses: { 200: { description: 'HTML' } } } },
    '/dev/token': {
      post: {
        summary: 'Development sign-in: a token for any user name. Exists only while JWT_SECRET is the development default and no JWKS is set (404 otherwise)',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['user'], properties: { user: { type: 'string' }, email: { type: 'string', format: 'email' } } } } } },
        responses: {
          200: { description: 'the token', content: { 'application/json': { schema: { type: 'object', required: ['token', 'expiresIn'], properties: { token: { type: 'string' }, expiresIn: { type: 'integer', description: 'seconds' } } } } } },
          400: errors[400],
          404: json('Error', 'not the development secret: there is no development sign-in'),
        },
      },
    },
    '/v1/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'alive' } } } },
    '/readyz': { get: { summary: 'Readiness: the Dapr sidecar answers', security: [], responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      Task: withoutId(taskSchema),
      TaskCreate: withoutId(taskCreateSchema),
      TaskPatch: withoutId(taskPatchSchema),
      TaskList: {
        type: 'object', additionalProperties: false, required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('Task') }, nextCursor: { type: ['string', 'null'] } },
      },
      CompleteResult: {
        type: 'object', additionalProperties: false, required: ['task', 'next'],
        properties: { task: ref('Task'), next: { anyOf: [ref('Task'), { type: 'null' }] } },
      },
      ChatRequest: {
        type: 'object', required: ['message'],
        properties: { message: { type: 'string', maxLength: MAX_MESSAGE_LENGTH, examples: ['remind me to pay rent on the 1st of every month at 9am'] } },
      },
      ChatReply: {
        type: 'object', additionalProperties: false, required: ['reply', 'intent', 'tasks'],
        properties: {
          reply: { type: 'string', description: 'a short text for the person; due times in their zone' },
          intent: { enum: [...CHAT_INTENTS] },
          tasks: { type: 'array', items: ref('Task'), description: 'the tasks the reply is about' },
        },
      },
      StreamTicket: {
        type: 'object', additionalProperties: false, required: ['ticket', 'expiresAt'],
        properties: { ticket: { type: 'string', description: 'opaque; pass it as GET /v1/stream?ticket=…' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
      Event: withoutId(envelopeSchema),
      UserExport: {
        type: 'object', additionalProperties: false, required: ['userId', 'exportedAt', 'profile', 'tasks', 'reminders', 'audit', 'auditComplete'],
        properties: {
          userId: { type: 'string' },
          exportedAt: { type: 'string', format: 'date-time' },
          profile: { oneOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['email', 'timezone'], properties: { email: { type: ['string', 'null'] }, timezone: { type: ['string', 'null'] } } }] },
          tasks: { type: 'array', items: ref('Task') },
          reminders: {
            type: 'array',
            items: {
              type: 'object', additionalProperties: false, required: ['taskId', 'reminderId', 'occurrence', 'fireAt'],
              properties: { taskId: { type: 'string' }, reminderId: { type: 'string' }, occurrence: { type: 'integer' }, fireAt: { type: 'string', format: 'date-time' } },
            },
          },
          audit: { type: 'array', items: ref('Event') },
          auditComplete: { type: 'boolean' },
        },
      },
      UserErasure: {
        type: 'object', additionalProperties: false, required: ['userId', 'eventId', 'erasedAt', 'complete', 'erased'],
        properties: {
          userId: { type: 'string' },
          eventId: { type: 'string', format: 'uuid', description: 'the user.erased event' },
          erasedAt: { type: 'string', format: 'date-time' },
          complete: { type: 'boolean' },
          erased: {
            type: 'object', additionalProperties: false, required: ['tasks', 'reminders', 'idempotencyKeys', 'outboxRows', 'actorState'],
            properties: {
              tasks: { type: 'integer' }, reminders: { type: 'integer' }, idempotencyKeys: { type: 'integer' }, outboxRows: { type: 'integer' }, actorState: { type: 'boolean' },
              auditRows: { type: 'integer' }, notifications: { type: 'integer' }, deadLetters: { type: 'integer' },
            },
          },
          pending: { type: 'array', items: { enum: ['auditRows', 'notifications', 'deadLetters'] } },
          message: { type: 'string' },
        },
      },
      AuditPage: {
        type: 'object', additionalProperties: false, required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('Event') }, nextCursor: { type: ['string', 'null'] } },
      },
      DeadLetter: {
        type: 'object', additionalProperties: false,
        required: ['id', 'topic', 'partition', 'offset', 'key', 'group', 'reason', 'attempts', 'deadLetteredAt', 'deadLetterTopic', 'eventId', 'eventType', 'userId', 'taskId', 'status', 'replays', 'lastReplayedAt', 'discardedAt', 'value'],
        properties: {
          id: { type: 'string' }, topic: { type: 'string', description: 'the original topic' },
          partition: { type: ['integer', 'null'] }, offset: { type: ['string', 'null'] }, key: { type: ['string', 'null'] },
          group: { type: 'string', description: 'the consumer group that gave up' }, reason: { type: 'string' },
          attempts: { type: 'integer', description: 'tries made before giving up' }, deadLetteredAt: { type: 'string', format: 'date-time' },
          deadLetterTopic: { type: 'string' }, eventId: { type: ['string', 'null'] }, eventType: { type: ['string', 'null'] },
          userId: { type: ['string', 'null'] }, taskId: { type: ['string', 'null'] },
          status: { enum: ['dead', 'replayed', 'discarded'] }, replays: { type: 'integer' },
          lastReplayedAt: { type: ['string', 'null'], format: 'date-time' }, discardedAt: { type: ['string', 'null'], format: 'date-time' },
          value: { type: ['string', 'null'], description: 'the message as text (the event JSON), cut at 64 KiB' },
        },
      },
      DeadLetterPage: {
        type: 'object', additionalProperties: false, required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('DeadLetter') }, nextCursor: { type: ['string', 'null'] } },
      },
      DeadLetterFilter: {
        type: 'object', description: 'at least one of topic, group and eventId',
        properties: {
          topic: { type: 'string' }, group: { type: 'string' }, eventId: { type: 'string', format: 'uuid' },
          status: { enum: ['dead', 'replayed'], default: 'dead' }, limit: { type: 'integer', minimum: 1, description: 'at most DEAD_LETTER_BULK_REPLAY_MAX (1,000)' },
        },
      },
      DeadLetterSummary: {
        type: 'object', required: ['id', 'topic', 'group', 'eventId', 'status'],
        properties: { id: { type: 'string' }, topic: { type: 'string' }, group: { type: 'string' }, eventId: { type: ['string', 'null'] }, status: { type: 'string' } },
      },
      AdminAction: { type: 'object', required: ['id', 'at'], properties: { id: { type: 'string' }, at: { type: 'string', format: 'date-time' } }, description: 'the entry in the operators\' audit trail' },
      ReplayResult: {
        type: 'object', required: ['replayed', 'skipped', 'action'],
        properties: { replayed: { type: 'array', items: ref('DeadLetterSummary') }, skipped: { type: 'array', items: ref('DeadLetterSummary') }, action: ref('AdminAction') },
      },
      DeadLetterActed: {
        type: 'object', required: ['action'],
        properties: { replayed: ref('DeadLetterSummary'), discarded: ref('DeadLetterSummary'), action: ref('AdminAction') },
      },
      Error: {
        type: 'object', additionalProperties: false, required: ['error'],
        properties: {
          error: {
            type: 'object', additionalProperties: false, required: ['code', 'message', 'details'],
            properties: {
              code: { type: 'string' }, message: { type: 'string' },
              details: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
} as const;
