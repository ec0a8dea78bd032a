/**
 * JSON Schema validation with ajv, from the schemas kept in the repo (common/tasks/schemas,
 * common/events/schemas). Errors come back as `{ field, message }` pairs naming each offending field.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseIsoDuration } from './recurrence/isoDuration';
import taskSchema from './tasks/schemas/task.json';
import taskCreateSchema from './tasks/schemas/task-create.json';
import taskPatchSchema from './tasks/schemas/task-patch.json';
import envelopeSchema from './events/schemas/envelope.json';
import taskCreatedSchema from './events/schemas/task.created.json';
import taskUpdatedSchema from './events/schemas/task.updated.json';
import taskCompletedSchema from './events/schemas/task.completed.json';
import taskReopenedSchema from './events/schemas/task.reopened.json';
import taskDeletedSchema from './events/schemas/task.deleted.json';
import reminderDueSchema from './events/schemas/reminder.due.json';
import userErasedSchema from './events/schemas/user.erased.json';
import userExportedSchema from './events/schemas/user.exported.json';
import reminderSentSchema from './events/schemas/reminder.sent.json';
import reminderFailedSchema from './events/schemas/reminder.failed.json';

export interface FieldError {
  field: string;
  message: string;
}

export type Validation = { ok: true } | { ok: false; details: FieldError[] };

const zoneCache = new Map<string, boolean>();

/** True for an IANA zone name that this runtime's ICU knows (e.g. Europe/Berlin, UTC). */
/**
 * False for a value that could make the mailer write to someone else: several addresses, a display
 * name, line breaks (nodemailer parses "a@x\r\nBcc: b@y" as b@y). Syntax beyond that is the SMTP
 * server's to judge.
 */
export function isSingleAddress(s: string): boolean {
  return /^[^\s,;<>"'()\\]+@[^\s,;<>"'()\\]+$/.test(s) && s.length <= 320;
}

export function isIanaTimeZone(zone: string): boolean {
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached;
  let ok = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) && zone.length <= 64;
  if (ok) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      ok = false;
    }
  }
  if (zoneCache.size < 10_000) zoneCache.set(zone, ok);
  return ok;
}


/** An ajv with the formats this project's schemas use (date-time, uuid, iana-timezone, iso-duration). */
export function newAjv(): Ajv {
  const a = new Ajv({ allErrors: true, strict: false });
  addFormats(a, ['date-time', 'uuid']);
  a.addFormat('iana-timezone', { type: 'string', validate: isIanaTimeZone });
  // The recurrence engine's parser, so whatever validates here is a duration reminders can use.
  a.addFormat('iso-duration', { type: 'string', validate: (s: string) => parseIsoDuration(s).ok });
  return a;
}

const ajv = newAjv();

const compiledUuid = ajv.compile({ type: 'string', format: 'uuid' });
const compiledInstant = ajv.compile({ type: 'string', format: 'date-time' });
/** A UUID, as eventIds are. */
export const isUuid = (s: string): boolean => compiledUuid(s) as boolean;
/** An RFC 3339 instant with a zone offset, as the API's `due` takes. */
export const isInstant = (s: string): boolean => compiledInstant(s) as boolean;
ajv.addSchema(taskSchema);
ajv.addSchema(envelopeSchema);

const compiledTaskCreate = ajv.compile(taskCreateSchema);
const compiledTaskPatch = ajv.compile(taskPatchSchema);

const eventSchemas: Record<string, object> = {
  'task.created': taskCreatedSchema,
  'task.updated': taskUpdatedSchema,
  'task.completed': taskCompletedSchema,
  'task.reopened': taskReopenedSchema,
  'task.deleted': taskDeletedSchema,
  'reminder.due': reminderDueSchema,
  'reminder.sent': reminderSentSchema,
  'reminder.failed': reminderFailedSchema,
  'user.erased': userErasedSchema,
  'user.exported': userExportedSchema,
};
const compiledEvents = new Map<string, ValidateFunction>(
  Object.entries(eventSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
);
const compiledEnvelope = ajv.getSchema(envelopeSchema.$id) as ValidateFunction;

/** A copy of a schema that allows properties it does not name (every `additionalProperties: false` dropped). */
export function tolerant<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(tolerant) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = tolerant(v);
  }
  return out as T;
}

// Consumers read events with the same schemas made tolerant: fields this code does not know (added
// by a newer minor version, or anywhere) are ignored, not refused. See common/events/README.md.
const tolerantAjv = newAjv();
tolerantAjv.addSchema(tolerant(taskSchema));
tolerantAjv.addSchema(tolerant(envelopeSchema));
const compiledConsumedEvents = new Map<string, ValidateFunction>(
  Object.entries(eventSchemas).map(([type, schema]) => [type, tolerantAjv.compile(tolerant(schema))]),
);

/** The schema version (major.minor) of each event type that this code writes and fully understands. */
export const KNOWN_EVENT_VERSIONS: Record<string, { major: number; minor: number }> = Object.fromEntries(
  Object.keys(eventSchemas).map((t) => [t, { major: 1, minor: 0 }]),
);
/** The major schema versions this code understands, per event type. */
export const KNOWN_EVENT_MAJOR_VERSIONS: Record<string, number> = Object.fromEntries(
  Object.entries(KNOWN_EVENT_VERSIONS).map(([t, v]) => [t, v.major]),
);

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') return [base, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
  if (e.keyword === 'additionalProperties') return [base, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
  return base || '(body)';
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  if (e.keyword === 'format') return `must be ${describeFormat((e.params as { format: string }).format)}`;
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'minProperties') return 'must change at least one field';
  return e.message ?? 'is invalid';
}

function describeFormat(format: string): string {
  switch (format) {
    case 'date-time': return 'an RFC 3339 instant with a zone offset, e.g. 2026-12-01T09:00:00+01:00';
    case 'iana-timezone': return 'an IANA time zone, e.g. Europe/Berlin';
    case 'iso-duration': return 'an ISO 8601 duration, e.g. PT15M or P1D';
    case 'uuid': return 'a UUID';
    default: return `a valid ${format}`;
  }
}

function toValidation(fn: ValidateFunction, value: unknown): Validation {
  if (fn(value)) return { ok: true };
  const seen = new Set<string>();
  const details: FieldError[] = [];
  for (const e of fn.errors ?? []) {
    // oneOf/anyOf wrappers repeat what their branches already said; keep the most specific errors.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    // One detail per field: the first error is the most specific (anyOf's first branch, e.g. the format).
    const d = { field: fieldOf(e), message: messageOf(e) };
    if (!seen.has(d.field)) {
      seen.add(d.field);
      details.push(d);
    }
  }
  if (details.length === 0) details.push({ field: '(body)', message: 'is invalid' });
  return { ok: false, details };
}

export function validateTaskCreate(input: unknown): Validation {
  return toValidation(compiledTaskCreate, input);
}

export function validateTaskPatch(patch: unknown): Validation {
  return toValidation(compiledTaskPatch, patch);
}

/** The envelope, a known type and a known major version; otherwise why not. */
function checkTypeAndMajor(event: unknown, validators: Map<string, ValidateFunction>): Validation | ValidateFunction {
  const env = toValidation(compiledEnvelope, event);
  if (!env.ok) return env;
  const e = event as { type: string; version: string };
  const fn = validators.get(e.type);
  if (!fn) return { ok: false, details: [{ field: 'type', message: `unknown event type ${e.type}` }] };
  const major = Number(e.version.split('.')[0]);
  if (major !== KNOWN_EVENT_MAJOR_VERSIONS[e.type]) {
    return { ok: false, details: [{ field: 'version', message: `unsupported major version ${e.version} of ${e.type} (this consumer reads ${KNOWN_EVENT_MAJOR_VERSIONS[e.type]}.x)` }] };
  }
  return fn;
}

/**
 * Validates an event before it is published: its type's schema exactly as written, so a producer
 * bug (a misspelt or stray field) never reaches Kafka. An unknown type or major version is invalid.
 */
export function validateEvent(event: unknown): Validation {
  const fn = checkTypeAndMajor(event, compiledEvents);
  return typeof fn === 'function' ? toValidation(fn, event) : fn;
}

/**
 * Validates an event a consumer read (common/events/README.md): an unknown type or an unknown major
 * version is invalid (the consumer dead-letters it with this reason rather than guess); any minor
 * version of a known major is accepted, and fields this code does not know are ignored (minor
 * versions only add optional fields). What the schema requires must still be there and valid.
 */
export function validateConsumedEvent(event: unknown): Validation {
  const fn = checkTypeAndMajor(event, compiledConsumedEvents);
  return typeof fn === 'function' ? toValidation(fn, event) : fn;
}
