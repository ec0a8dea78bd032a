/**
 * The list query of GET /v1/tasks (and UserActor.listTasks): parsing and validating its
 * parameters, and the opaque keyset cursor. Paging is by (sort value, id), so walking the cursors
 * returns every task exactly once, even while tasks are being added: a new task lands either
 * before the cursor (not returned) or after it (returned once), never twice.
 */
import { createHash } from 'node:crypto';
import type { FieldError } from '../validation';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from './task';

export const SORT_FIELDS = ['due', 'priority', 'createdAt', 'updatedAt', 'title'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface ListFilter {
  status?: TaskStatus;
  priority?: TaskPriority;
  /** Tasks carrying every one of these tags. */
  tags: string[];
  /** Case-insensitive substring of the title, the description or a tag. */
  q?: string;
  dueBefore?: string;
  dueAfter?: string;
  /** Open tasks whose due time has passed. */
  overdue: boolean;
}

export interface ListQuery {
  filter: ListFilter;
  sort: SortField;
  order: SortOrder;
  limit: number;
  after?: CursorPosition;
}

/** Where the previous page ended: the sort key of its last task (as text) and that task's id. */
export interface CursorPosition {
  value: string | null;
  id: string;
}

export type ParsedListQuery = { ok: true; query: ListQuery } | { ok: false; details: FieldError[] };

type Raw = Record<string, unknown>;

const one = (raw: Raw, name: string, errors: FieldError[]): string | undefined => {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  errors.push({ field: name, message: 'must be given once' });
  return undefined;
};

const instant = (s: string | undefined, name: string, errors: FieldError[]): string | undefined => {
  if (s === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(s) || Number.isNaN(Date.parse(s))) {
    errors.push({ field: name, message: 'must be an RFC 3339 instant with a zone offset, e.g. 2026-12-01T09:00:00Z' });
    return undefined;
  }
  return new Date(s).toISOString();
};

function filterFingerprint(f: ListFilter, sort: SortField, order: SortOrder): string {
  return createHash('sha256').update(JSON.stringify([f.status, f.priority, [...f.tags].sort(), f.q, f.dueBefore, f.dueAfter, f.overdue, sort, order])).digest('base64url').slice(0, 12);
}

export function encodeCursor(q: ListQuery, pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ f: filterFingerprint(q.filter, q.sort, q.order), v: pos.value, i: pos.id })).toString('base64url');
}

function decodeCursor(s: string, f: ListFilter, sort: SortField, order: SortOrder): CursorPosition | 'invalid' | 'mismatch' {
  if (s.length > 1000) return 'invalid';
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { f?: unknown; v?: unknown; i?: unknown };
    if (typeof c !== 'object' || c === null || typeof c.f !== 'string' || typeof c.i !== 'string' || !(c.v === null || typeof c.v === 'string')) return 'invalid';
    if (c.f !== filterFingerprint(f, sort, order)) return 'mismatch';
    return { value: c.v, id: c.i };
  } catch {
    return 'invalid';
  }
}

/** Parses GET /v1/tasks's query parameters (as express gives them: strings, or arrays when repeated). */
export function parseListQuery(raw: Raw): ParsedListQuery {
  const errors: FieldError[] = [];
  const known = new Set(['status', 'priority', 'tag', 'q', 'dueBefore', 'dueAfter', 'overdue', 'sort', 'order', 'limit', 'cursor']);
  for (const k of Object.keys(raw)) if (!known.has(k)) errors.push({ field: k, message: 'is not a known query parameter' });

  const status = one(raw, 'status', errors);
  if (status !== undefined && !(TASK_STATUSES as readonly string[]).includes(status)) errors.push({ field: 'status', message: `must be one of ${TASK_STATUSES.join(', ')}` });
  const priority = one(raw, 'priority', errors);
  if (priority !== undefined && !(TASK_PRIORITIES as readonly string[]).includes(priority)) errors.push({ field: 'priority', message: `must be one of ${TASK_PRIORITIES.join(', ')}` });

  const tagRaw = raw.tag;
  const tags = tagRaw === undefined ? [] : Array.isArray(tagRaw) ? tagRaw : [tagRaw];
  if (tags.length > 20 || tags.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 100)) {
    errors.push({ field: 'tag', message: 'must be at most 20 tags of 1..100 characters' });
  }

  const q = one(raw, 'q', errors);
  if (q !== undefined && (q.length === 0 || q.length > 200)) errors.push({ field: 'q', message: 'must be 1..200 characters' });
  // The search text joins title, description and tags with U+001F (migration 010): q never contains it, so no match spans two fields.
  else if (q !== undefined && [...q].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) errors.push({ field: 'q', message: 'must not contain control characters' });
  const dueBefore = instant(one(raw, 'dueBefore', errors), 'dueBefore', errors);
  const dueAfter = instant(one(raw, 'dueAfter', errors), 'dueAfter', errors);
  const overdueRaw = one(raw, 'overdue', errors);
  if (overdueRaw !== undefined && overdueRaw !== 'true' && overdueRaw !== 'false') errors.push({ field: 'overdue', message: 'must be true or false' });

  const sortRaw = one(raw, 'sort', errors) ?? 'due';
  if (!(SORT_FIELDS as readonly string[]).includes(sortRaw)) errors.push({ field: 'sort', message: `must be one of ${SORT_FIELDS.join(', ')}` });
  const orderRaw = one(raw, 'order', errors) ?? 'asc';
  if (orderRaw !== 'asc' && orderRaw !== 'desc') errors.push({ field: 'order', message: 'must be asc or desc' });
  const limitRaw = one(raw, 'limit', errors);
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });

  const filter: ListFilter = {
    status: status as TaskStatus | undefined, priority: priority as TaskPriority | undefined,
    tags: [...new Set(tags as string[])], q, dueBefore, dueAfter, overdue: overdueRaw === 'true',
  };
  const sort = sortRaw as SortField;
  const order = orderRaw as SortOrder;
  let after: CursorPosition | undefined;
  const cursor = one(raw, 'cursor', errors);
  if (cursor !== undefined && errors.length === 0) {
    const c = decodeCursor(cursor, filter, sort, order);
    if (c === 'invalid') errors.push({ field: 'cursor', message: 'is not a cursor this API returned' });
    else if (c === 'mismatch') errors.push({ field: 'cursor', message: 'belongs to a list with other filters or another sort; start again without it' });
    else after = c;
  }
  if (errors.length) return { ok: false, details: errors };
  return { ok: true, query: { filter, sort, order, limit, after } };
}

/** The sort rank of a priority: none < low < medium < high < urgent. */
export function priorityRank(p: TaskPriority): number {
  return TASK_PRIORITIES.indexOf(p);
}
