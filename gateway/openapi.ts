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
  401: json('Error', 'no token, a bad signature, `alg: none`, or an expired token'),
  413: json('Error', 'the body is over 1 MiB'),
  429: { ...json('Error', 'too many requests for this user'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  503: json('Error', 'a dependency did not answer; retry (POST with the same Idempotency-Key)'),
};
const notFound = { 404: json('Error', 'no such task for this user') };
const taskId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the task version last seen, e.g. "3"; a stale one answers 412' };
const etag = { ETag: { schema: { type: 'string' }, description: 'the task version, quoted' } };
const taskResponse = (description: string) => ({ ...json('Task', description), headers: etag });

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
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'the same key returns the same task, never a second one' },
          { name: 'X-Timezone', in: 'header', required: false, schema: { type: 'string' }, description: 'the caller\'s IANA zone when the token has no zoneinfo claim' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('TaskCreate') } } },
        responses: { 201: taskResponse('created'), 200: taskResponse('the task this Idempotency-Key created before'), ...errors },
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
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'a retried message that creates a task returns the same task' },
          { name: 'X-Timezone', in: 'header', required: false, schema: { type: 'string' }, description: 'the caller\'s IANA zone when the token has no zoneinfo claim' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('ChatRequest') } } },
        responses: { 200: json('ChatReply', 'the reply'), ...errors },
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
    '/v1/stream': {
      get: {
        summary: 'WebSocket: every event of the caller\'s tasks, live, with replay of what a device missed',
        description: 'Upgrade to a WebSocket (token as Bearer header or `?token=`). Every frame is one JSON object: an `Event` (the envelope of docs/API.md, Events), or, only after a replay request, a control frame whose `type` starts with `stream.`: `stream.replayed` (`count`, `lastEventId`: the missed events were sent, what follows is live) or `stream.resync` (`reason`: unknown_event, too_many, audit_behind, audit_unavailable; fetch GET /v1/tasks, then apply the live events that follow). `after` is the last eventId the device saw; the missed events come in the user\'s commit order, then the live ones, each once. A socket with over 1 MiB unsent is closed with 4008. Protocol: gateway/stream/README.md.',
        parameters: [
          { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'the JWT, for clients that cannot set the Authorization header' },
          { name: 'after', in: 'query', required: false, schema: { type: 'string', format: 'uuid' }, description: 'replay: the events after this one (the last eventId this device saw)' },
          { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'replay: every event whose time is at or after this instant (not with after)' },
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string', format: 'uuid' }, description: 'the same as after' },
        ],
        responses: {
          101: { description: 'switching to the WebSocket protocol; frames as described above' },
          400: json('Error', 'after, since or Last-Event-ID is malformed, or after and since are both given; `details` names the field'),
          401: errors[401],
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
      Event: withoutId(envelopeSchema),
      AuditPage: {
        type: 'object', additionalProperties: false, required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: ref('Event') }, nextCursor: { type: ['string', 'null'] } },
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
