/**
 * The notification subscriber on the real stack (Kafka, PostgreSQL, the SMTP sink, the running
 * todo-subscribers and the actor host's outbox relay): events go in through Kafka, emails are read
 * back from the sink, outcomes from the notifications, outbox and audit_log tables and from
 * reminders.dlt. Nothing is mocked.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { newTask } from '../../actors/taskRules';
import { config } from '../../common/config';
import { createPool } from '../../common/db/pool';
import { buildEvent, deadLetterTopic, TOPICS, type EventEnvelope } from '../../common/events/envelope';
import { createKafka } from '../../common/kafka';
import { createLogger } from '../../common/logger';
import { validateEvent } from '../../common/validation';
import { eventually, serviceMetrics, uniqueUser } from '../../stack/testSupport';
import type { ReminderDueData } from './reminderEvents';
import type { SunkMessage } from '../../stack/smtpSinkStore';

interface DltMessage { value: string; headers: Record<string, string> }

async function inbox(to: string): Promise<SunkMessage[]> {
  const res = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(to)}`);
  return (await res.json()) as SunkMessage[];
}

/** A valid reminder.due, fired at `now` (its data.firedAt and envelope time). */
function reminderDue(userId: string, email: string | null, title = 'Send the report', now = new Date()): EventEnvelope<ReminderDueData> {
  const task = newTask({ title, description: 'Numbers for Q4.', due: '2026-12-01T09:00:00+01:00', timezone: 'Europe/Berlin', reminders: [{ before: 'PT15M' }] }, 'UTC', now);
  const event = buildEvent('reminder.due', userId, task.id, {
    reminderId: task.reminders[0].id, occurrence: 1, fireAt: now.toISOString(), firedAt: now.toISOString(), task, email, timezone: 'Europe/Berlin',
  }, now);
  assert.deepEqual(validateEvent(event), { ok: true }, 'the test builds a valid reminder.due');
  return event;
}

describe('notification subscriber (real Kafka, PostgreSQL and SMTP sink)', function () {
  this.timeout(90_000);
  let pool: Pool;
  let kafka: Kafka;
  let producer: Producer;
  let dltConsumer: Consumer;
  const dlt: DltMessage[] = [];

  const publish = async (key: string, ...values: string[]) => {
    await producer.send({ topic: TOPICS.reminders, acks: -1, messages: values.map((value) => ({ key, value })) });
  };
  const notification = async (eventId: string) =>
    (await pool.query('SELECT status, attempts, recipient, last_error, next_attempt_at FROM notifications WHERE event_id = $1', [eventId])).rows[0];
  const outboxEvents = async (userId: string, type: string) =>
    (await pool.query<{ payload: EventEnvelope<Record<string, unknown>> }>(
      "SELECT payload FROM outbox WHERE user_id = $1 AND payload->>'type' = $2 ORDER BY seq", [userId, type])).rows.map((r) => r.payload);
  const deadLettered = (eventId: string) =>
    dlt.filter((m) => m.headers['dlt-group'] === 'notifications' && m.value.includes(eventId));

  before(async () => {
    pool = createPool('notifications-integration-test');
    kafka = createKafka('notifications-integration-test', createLogger('notifications-integration-test'));
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    dltConsumer = kafka.consumer({ groupId: `notifications-test-dlt-${randomUUID()}` });
    await dltConsumer.connect();
    await dltConsumer.subscribe({ topics: [deadLetterTopic(TOPICS.reminders)], fromBeginning: true });
    await dltConsumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        dlt.push({ value: message.value?.toString('utf8') ?? '', headers });
      },
    });
  });

  after(async () => {
    await dltConsumer?.disconnect();
    await producer?.disconnect();
    await pool?.end();
  });

  it('emails a reminder.due exactly once even when the same event is published twice, and records reminder.sent', async () => {
    const userId = uniqueUser('notify');
    const email = `${userId}@example.com`;
    const event = reminderDue(userId, email);
    await publish(userId, JSON.stringify(event));
    await publish(userId, JSON.stringify(event));

    const [mail] = await eventually(async () => ((await inbox(email)).length ? inbox(email) : undefined), 30_000, 'the email in the sink');
    assert.equal(mail.subject, 'Reminder: Send the report');
    assert.deepEqual(mail.to, [email]);
    assert.equal(mail.from, config.notifyFrom);
    assert.match(mail.text, /Due: Tuesday 1 December 2026, 09:00 \(Europe\/Berlin\)/);
    assert.match(mail.text, /Numbers for Q4\./);
    assert.ok(mail.text.includes(`${config.publicBaseUrl}/v1/tasks/${event.taskId}`), mail.text);

    const sent = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.sent');
      return rows.length ? rows : undefined;
    }, 20_000, 'reminder.sent in the outbox');
    assert.equal(sent.length, 1);
    assert.deepEqual(validateEvent(sent[0]), { ok: true });
    assert.equal(sent[0].data.dueEventId, event.eventId);
    assert.equal(sent[0].data.to, email);
    assert.equal(sent[0].data.attempts, 1);
    assert.equal((await notification(event.eventId)).status, 'sent');

    // The actor host's relay publishes the outbox row; the audit consumer records it.
    await eventually(async () => (await pool.query(
      "SELECT 1 FROM audit_log WHERE user_id = $1 AND type = 'reminder.sent' AND event->'data'->>'dueEventId' = $2", [userId, event.eventId],
    )).rowCount ? true : undefined, 30_000, 'reminder.sent in audit_log');

    // The duplicate was consumed long ago (both share a partition, in order): still one email.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await inbox(email)).length, 1);
    const metrics = await serviceMetrics('subscribers');
    assert.match(metrics, /^reminder_emails_sent_total\{[^}]*\} [1-9]/m);
    assert.match(metrics, /^reminder_delivery_lateness_seconds_count\{[^}]*\} [1-9]/m);
  });

  it('sends nothing when the user has no email address, and records reminder.failed "no address" without retries', async () => {
    const userId = uniqueUser('notify-noaddr');
    const event = reminderDue(userId, null);
    await publish(userId, JSON.stringify(event));
    const failed = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.failed');
      return rows.length ? rows : undefined;
    }, 30_000, 'reminder.failed in the outbox');
    assert.equal(failed.length, 1);
    assert.deepEqual(validateEvent(failed[0]), { ok: true });
    assert.deepEqual({ reason: failed[0].data.reason, attempts: failed[0].data.attempts, dueEventId: failed[0].data.dueEventId },
      { reason: 'no address', attempts: 0, dueEventId: event.eventId });
    const row = await notification(event.eventId);
    assert.deepEqual({ status: row.status, attempts: row.attempts, next: row.next_attempt_at }, { status: 'failed', attempts: 0, next: null });
  });

  it('dead-letters an invalid event with its reason and goes on consuming the partition', async () => {
    const userId = uniqueUser('notify-invalid');
    const email = `${userId}@example.com`;
    const invalid = { ...reminderDue(userId, email), data: { reminderId: 'r1' } };
    const valid = reminderDue(userId, email, 'After the bad one');
    await publish(userId, JSON.stringify(invalid), JSON.stringify(valid));

    const [letter] = await eventually(async () => (deadLettered(invalid.eventId).length ? deadLettered(invalid.eventId) : undefined), 30_000, 'the invalid event in reminders.dlt');
    assert.match(letter.headers['dlt-reason'], /^invalid event: .*data\.task is required/);
    assert.equal(letter.headers['dlt-source-topic'], TOPICS.reminders);
    assert.equal(await notification(invalid.eventId), undefined, 'no notification row for an invalid event');
    const mails = await eventually(async () => ((await inbox(email)).length ? inbox(email) : undefined), 30_000, 'the next event emailed');
    assert.deepEqual(mails.map((m) => m.subject), ['Reminder: After the bad one']);
  });

  it('retries a transient failure (SMTP 451) from the database without blocking, and after the last retry dead-letters it and records reminder.failed', async () => {
    const userId = uniqueUser('notify-retry');
    // The sink's SMTP server answers 451 for this test domain: a real transient failure, not a mock.
    const event = reminderDue(userId, `${userId}@tempfail.invalid`);
    await publish(userId, JSON.stringify(event));

    // Tries 1 and 2 come from the retry loop reading notifications (first retry within base = 1 s).
    const retrying = await eventually(async () => {
      const row = await notification(event.eventId);
      return row && row.attempts >= 2 && row.status === 'pending' ? row : undefined;
    }, 30_000, 'two failed tries recorded');
    assert.match(retrying.last_error, /451/);
    assert.ok(retrying.next_attempt_at instanceof Date);
    assert.equal((await outboxEvents(userId, 'reminder.failed')).length, 0, 'not final yet');

    // Skip the long waits: make the next try the last retry the policy allows, and due now.
    await eventually(async () => (await pool.query(
      "UPDATE notifications SET attempts = $2, next_attempt_at = now() WHERE event_id = $1 AND status = 'pending'",
      [event.eventId, config.notifyMaxRetries],
    )).rowCount ? true : undefined, 20_000, 'the row between tries');
    const tries = config.notifyMaxRetries + 1;
    const failed = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.failed');
      return rows.length ? rows : undefined;
    }, 30_000, 'reminder.failed in the outbox');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].data.attempts, tries);
    assert.match(String(failed[0].data.reason), new RegExp(`^gave up after ${tries} tries: .*451`));
    const row = await notification(event.eventId);
    assert.deepEqual({ status: row.status, attempts: row.attempts }, { status: 'failed', attempts: tries });
    const [letter] = await eventually(async () => (deadLettered(event.eventId).length ? deadLettered(event.eventId) : undefined), 30_000, 'the reminder.due in reminders.dlt');
    assert.equal(JSON.parse(letter.value).eventId, event.eventId);
    assert.match(letter.headers['dlt-reason'], /^gave up after/);
  });

  it('dead-letters a permanent refusal (SMTP 550) after its first try, without retries, and records reminder.failed', async () => {
    const userId = uniqueUser('notify-550');
    const event = reminderDue(userId, `${userId}@unavailable.invalid`);
    await publish(userId, JSON.stringify(event));
    const [letter] = await eventually(async () => (deadLettered(event.eventId).length ? deadLettered(event.eventId) : undefined), 30_000, 'the reminder.due in reminders.dlt');
    assert.match(letter.headers['dlt-reason'], /^refused by the SMTP server: .*550/);
    const failed = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.failed');
      return rows.length ? rows : undefined;
    }, 30_000, 'reminder.failed in the outbox');
    assert.equal(failed.length, 1);
    assert.deepEqual(validateEvent(failed[0]), { ok: true });
    assert.equal(failed[0].data.attempts, 1, 'one try, no retry');
    assert.match(String(failed[0].data.reason), /^refused by the SMTP server: .*550.*Mailbox unavailable/);
    const row = await notification(event.eventId);
    assert.deepEqual({ status: row.status, attempts: row.attempts, next: row.next_attempt_at }, { status: 'failed', attempts: 1, next: null });
  });

  it('does not email a reminder.due older than NOTIFY_MAX_AGE_MS (an old event read again): reminder.failed "expired", no dead letter', async function () {
    if (config.notifyMaxAgeMs === 0) this.skip();
    const userId = uniqueUser('notify-expired');
    const email = `${userId}@example.com`;
    const old = reminderDue(userId, email, 'Yesterday\'s news', new Date(Date.now() - config.notifyMaxAgeMs - 60_000));
    const fresh = reminderDue(userId, email, 'Today\'s news');
    await publish(userId, JSON.stringify(old), JSON.stringify(fresh));
    const failed = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.failed');
      return rows.length ? rows : undefined;
    }, 30_000, 'reminder.failed in the outbox');
    assert.equal(failed.length, 1);
    assert.deepEqual(validateEvent(failed[0]), { ok: true });
    assert.deepEqual({ reason: failed[0].data.reason, attempts: failed[0].data.attempts, dueEventId: failed[0].data.dueEventId },
      { reason: 'expired', attempts: 0, dueEventId: old.eventId });
    // The fresh one, after it on the same partition, is mailed; the old one never is.
    await eventually(async () => ((await inbox(email)).length ? true : undefined), 30_000, 'the fresh reminder email');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual((await inbox(email)).map((m) => m.subject), ['Reminder: Today\'s news'], 'only the fresh one');
    const row = await notification(old.eventId);
    assert.deepEqual({ status: row.status, attempts: row.attempts }, { status: 'failed', attempts: 0 });
    assert.deepEqual(deadLettered(old.eventId), [], 'an expired reminder is not dead-lettered');
  });

  it('picks up a pending retry that another process recorded, and counts its tries in reminder.sent', async () => {
    const userId = uniqueUser('notify-pickup');
    const email = `${userId}@example.com`;
    const event = reminderDue(userId, email);
    await pool.query(
      `INSERT INTO notifications (event_id, user_id, task_id, reminder_id, recipient, status, attempts, next_attempt_at, last_error, event)
       VALUES ($1, $2, $3, $4, $5, 'pending', 3, now(), 'ESOCKET: earlier failure', $6)`,
      [event.eventId, userId, event.taskId, event.data.reminderId, email, JSON.stringify(event)],
    );
    await eventually(async () => ((await inbox(email)).length === 1 ? true : undefined), 30_000, 'the retried email');
    const [sent] = await eventually(async () => {
      const rows = await outboxEvents(userId, 'reminder.sent');
      return rows.length ? rows : undefined;
    }, 20_000, 'reminder.sent in the outbox');
    assert.equal(sent.data.attempts, 4);
    assert.equal((await notification(event.eventId)).status, 'sent');
  });
});
