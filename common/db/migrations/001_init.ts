import type { Migration } from '../migrations';

export const m001Init: Migration = {
  version: 1,
  name: 'tasks, outbox, idempotency keys, users, audit log',
  sql: `
CREATE TABLE tasks (
  user_id       text        NOT NULL,
  id            text        NOT NULL,
  title         text        NOT NULL,
  description   text        NOT NULL DEFAULT '',
  status        text        NOT NULL CHECK (status IN ('open', 'completed')),
  priority      text        NOT NULL CHECK (priority IN ('none', 'low', 'medium', 'high', 'urgent')),
  tags          text[]      NOT NULL DEFAULT '{}',
  due           timestamptz,
  timezone      text        NOT NULL DEFAULT 'UTC',
  recurrence    jsonb,
  reminders     jsonb       NOT NULL DEFAULT '[]',
  series_id     text,
  occurrence    integer     NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  completed_at  timestamptz,
  version       integer     NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE UNIQUE INDEX tasks_series_occurrence ON tasks (user_id, series_id, occurrence) WHERE series_id IS NOT NULL;
CREATE INDEX tasks_user_due ON tasks (user_id, due);

CREATE TABLE outbox (
  seq           bigserial   PRIMARY KEY,
  event_id      uuid        NOT NULL UNIQUE,
  user_id       text        NOT NULL,
  topic         text        NOT NULL,
  payload       jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (user_id, seq) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  user_id       text        NOT NULL,
  key           text        NOT NULL,
  task_id       text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

CREATE TABLE users (
  id            text        PRIMARY KEY,
  email         text,
  timezone      text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  event_id        uuid        PRIMARY KEY,
  user_id         text        NOT NULL,
  task_id         text,
  type            text        NOT NULL,
  schema_version  text        NOT NULL,
  event_time      timestamptz NOT NULL,
  event           jsonb       NOT NULL,
  topic           text        NOT NULL,
  kafka_partition integer     NOT NULL,
  kafka_offset    bigint      NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_user_time ON audit_log (user_id, event_time DESC, event_id DESC);
CREATE INDEX audit_log_user_task_time ON audit_log (user_id, task_id, event_time DESC, event_id DESC);
`,
};
