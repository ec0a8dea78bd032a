import type { Migration } from '../migrations';

export const m010TaskSearchTrigram: Migration = {
  version: 10,
  name: "tasks: GET /v1/tasks?q= served by a trigram index (pg_trgm) on the user's title, description and tags",
  sql: `
-- pg_trgm answers ILIKE '%word%' from a GIN index; btree_gin lets the same index lead with user_id,
-- so a search reads only the caller's entries. Both are trusted extensions (PostgreSQL 13+): the
-- database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
-- What q is matched against (actors/taskStore.ts): title, description and tags joined by the unit
-- separator (U+001F), which q may not contain (common/tasks/listQuery.ts), so no match spans two
-- fields. IMMUTABLE so that it can be indexed; array_to_string of text[] depends on nothing else.
CREATE FUNCTION task_search_text(title text, description text, tags text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT title || chr(31) || description || chr(31) || array_to_string(tags, chr(31)) $fn$;
CREATE INDEX tasks_search_trgm ON tasks USING gin (user_id, task_search_text(title, description, tags) gin_trgm_ops);
`,
};
