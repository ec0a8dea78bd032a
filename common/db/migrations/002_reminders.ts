import type { Migration } from '../migrations';

export const m002Reminders: Migration = {
  version: 2,
  name: 'reminder schedule (the actor\'s record of its Dapr reminders) and notifications',
  sql: `
-- Dapr has no API to list an actor's reminders: the actor keeps its own record of what it
-- registered, one row per (task, occurrence, reminder), named as the Dapr reminder is.
CREATE TABLE reminder_schedule (
  user_id      text        NOT NULL,
  name         text        NOT NULL,
  task_id      text        NOT NULL,
  reminder_id  text        NOT NULL,
  occurrence   integer     NOT NULL,
  fire_at      timestamptz NOT NULL,
  task_version integer     NOT NULL,
  -- active: should exist in Dapr; cancelled: should not (row deleted once unregistered); fired: done.
  state        text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'cancelled', 'fired')),
  -- false: Dapr does not reflect this row yet (register, or unregister when cancelled).
  synced       boolean     NOT NULL DEFAULT false,
  changed_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (user_id, name)
);
CREATE INDEX reminder_schedule_task ON reminder_schedule (user_id, task_id);
CREATE INDEX reminder_schedule_unsynced ON reminder_schedule (changed_at) WHERE synced = false;

-- One row per reminder.due event the notification subscriber has seen: the idempotency key
-- (at most one email per reminder), the retry schedule, and the outcome.
CREATE TABLE notifications (
  event_id        uuid        PRIMARY KEY,
  user_id         text        NOT NULL,
  task_id         text        NOT NULL,
  reminder_id     text        NOT NULL,
  recipient       text,
  status          text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error      text,
  event           jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_due_retries ON notifications (next_attempt_at) WHERE status = 'pending';
`,
};
