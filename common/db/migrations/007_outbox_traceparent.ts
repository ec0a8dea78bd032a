import type { Migration } from '../migrations';

export const m007OutboxTraceparent: Migration = {
  version: 7,
  name: 'outbox.traceparent: the trace of the request that wrote each event, for its Kafka message',
  sql: `
-- The W3C traceparent of the span that wrote the row (common/db/outbox.ts), or NULL when nothing
-- was traced. The publisher's span for the row is its child and goes into the message's
-- traceparent header, so the consumers' spans join the request's trace (common/tracing.ts).
ALTER TABLE outbox ADD COLUMN traceparent text;
`,
};
