import type { Migration } from '../migrations';

export const m005DeadLetters: Migration = {
  version: 5,
  name: 'dead-letter index and the operators\' audit trail; where each notification came from in Kafka, and its replays',
  sql: `
-- An index of the dead-letter topics, kept by the subscribers' dead-letter-index consumer group
-- (subscribers/deadLetters/README.md). Kafka keeps the messages (DLT_RETENTION_*); this is what the
-- operator API lists and filters, with the status operators gave each one. The id is the message's
-- place on its dead-letter topic: "<dlt topic>:<partition>:<offset>".
CREATE TABLE dead_letters (
  id               text        PRIMARY KEY,
  dlt_topic        text        NOT NULL,
  dlt_partition    integer     NOT NULL,
  dlt_offset       bigint      NOT NULL,
  source_topic     text        NOT NULL,
  source_partition integer,
  source_offset    bigint,
  consumer_group   text        NOT NULL,
  reason           text        NOT NULL,
  attempts         integer     NOT NULL,
  dead_lettered_at timestamptz NOT NULL,
  message_key      bytea,
  message_value    bytea,
  event_id         text,
  event_type       text,
  user_id          text,
  task_id          text,
  status           text        NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'replayed', 'discarded')),
  replays          integer     NOT NULL DEFAULT 0,
  last_replayed_at timestamptz,
  discarded_at     timestamptz,
  indexed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_listing ON dead_letters (dead_lettered_at DESC, id DESC);
CREATE INDEX dead_letters_event ON dead_letters (event_id) WHERE event_id IS NOT NULL;

-- Every operator action (who, what, when), written in the transaction that does it.
CREATE TABLE admin_actions (
  id        bigserial   PRIMARY KEY,
  operator  text        NOT NULL,
  action    text        NOT NULL,
  target    text,
  params    jsonb       NOT NULL DEFAULT '{}',
  result    jsonb       NOT NULL DEFAULT '{}',
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_actions_at ON admin_actions (at);

-- A notification's reminder.due message in Kafka (for its dead letter), and when an operator last
-- replayed it (a replayed reminder is sent whatever its age; NOTIFY_MAX_AGE_MS is for first tries).
ALTER TABLE notifications ADD COLUMN source_partition integer, ADD COLUMN source_offset bigint, ADD COLUMN replayed_at timestamptz;
`,
};
