import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isIanaTimeZone, tolerant, validateConsumedEvent, validateEvent, validateTaskCreate } from './validation';
import { buildEvent } from './events/envelope';
import { newTask } from '../actors/taskRules';

const fields = (v: ReturnType<typeof validateTaskCreate>) => (v.ok ? [] : v.details.map((d) => d.field));

describe('task input validation', () => {
  it('accepts a minimal task and a full one', () => {
    assert.equal(validateTaskCreate({ title: 'x' }).ok, true);
    assert.equal(validateTaskCreate({
      title: 'Send the report', description: 'weekly', priority: 'high', tags: ['work', 'reports'],
      due: '2026-12-01T09:00:00+01:00', timezone: 'Europe/Berlin', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
      reminders: [{ before: 'PT15M' }, { at: '2026-12-01T07:00:00Z' }],
    }).ok, true);
  });

  it('names every offending field', () => {
    const v = validateTaskCreate({ title: '', priority: 'asap', tags: 'x', due: 'tomorrow', timezone: 'Mars/Olympus', bogus: 1 });
    assert.deepEqual(new Set(fields(v)), new Set(['title', 'priority', 'tags', 'due', 'timezone', 'bogus']));
  });

  it('requires a title that is not only blanks, and at most 500 characters', () => {
    assert.deepEqual(fields(validateTaskCreate({})), ['title']);
    assert.deepEqual(fields(validateTaskCreate({ title: '   ' })), ['title']);
    assert.deepEqual(fields(validateTaskCreate({ title: 'a'.repeat(501) })), ['title']);
  });

  it('rejects instants without an offset and durations that are not ISO 8601', () => {
    assert.deepEqual(fields(validateTaskCreate({ title: 'x', due: '2026-12-01T09:00:00' })), ['due']);
    assert.deepEqual(fields(validateTaskCreate({ title: 'x', reminders: [{ before: '15 minutes' }] })), ['reminders.0.before']);
    assert.equal(validateTaskCreate({ title: 'x', reminders: [{ before: 'P1DT2H' }] }).ok, true);
  });

  it('wants exactly one of before and at in a reminder', () => {
    assert.equal(validateTaskCreate({ title: 'x', reminders: [{}] }).ok, false);
    assert.equal(validateTaskCreate({ title: 'x', reminders: [{ before: 'PT1M', at: '2026-12-01T07:00:00Z' }] }).ok, false);
  });

  it('knows IANA zones and refuses made-up ones', () => {
    for (const z of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata']) assert.equal(isIanaTimeZone(z), true, z);
    for (const z of ['Mars/Olympus', '', '../etc/passwd', 'Europe/Berlin; DROP TABLE']) assert.equal(isIanaTimeZone(z), false, z);
  });
});

describe('event validation', () => {
  const task = newTask({ title: 'x' }, 'UTC', new Date('2026-11-23T10:00:00Z'));

  it('accepts a task.created event built by the actor', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    assert.deepEqual(validateEvent(e), { ok: true });
  });

  it('accepts a newer minor version of a known major, and refuses an unknown major or type', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task }, new Date());
    assert.equal(validateEvent({ ...e, version: '1.7' }).ok, true);
    assert.equal(validateEvent({ ...e, version: '2.0' }).ok, false);
    assert.equal(validateEvent({ ...e, type: 'task.exploded' }).ok, false);
  });

  it('refuses an event whose data does not match its type', () => {
    const e = buildEvent('task.created', 'alice', task.id, { task: { ...task, status: 'lost' } }, new Date());
    assert.equal(validateEvent(e).ok, false);
    assert.equal(validateEvent({ ...buildEvent('task.created', 'alice', task.id, { task }, new Date()), eventId: 'not-a-uuid' }).ok, false);
    assert.equal(validateEvent({ eventId: randomUUID() }).ok, false);
  });
});

describe('event versions, as consumers read them (common/events/README.md)', () => {
  const task = newTask({ title: 'x' }, 'UTC', new Date('2026-11-23T10:00:00Z'));
  const created = () => buildEvent('task.created', 'alice', task.id, { task }, new Date());
  const reason = (v: ReturnType<typeof validateConsumedEvent>) => (v.ok ? '' : v.details.map((d) => `${d.field} ${d.message}`).join('; '));

  it('refuse an unknown major version, saying which version and what this consumer reads', () => {
    assert.match(reason(validateConsumedEvent({ ...created(), version: '2.0' })), /^version unsupported major version 2\.0 of task\.created \(this consumer reads 1\.x\)$/);
    assert.match(reason(validateConsumedEvent({ ...created(), version: '0.9' })), /unsupported major version 0\.9/);
  });

  it('refuse an unknown event type', () => {
    assert.match(reason(validateConsumedEvent({ ...created(), type: 'task.archived' })), /^type unknown event type task\.archived$/);
  });

  it('accept a newer minor version of a known major', () => {
    assert.deepEqual(validateConsumedEvent({ ...created(), version: '1.9' }), { ok: true });
    assert.deepEqual(validateConsumedEvent(created()), { ok: true });
  });

  it('ignore fields they do not know, at every level, where the publisher refuses them', () => {
    const withNewFields = { ...created(), version: '1.1', region: 'eu', data: { task: { ...task, colour: 'red', reminders: [{ id: 'r1', before: 'PT5M', channel: 'push' }] }, source: 'chat' } };
    assert.deepEqual(validateConsumedEvent(withNewFields), { ok: true });
    assert.equal(validateEvent(withNewFields).ok, false, 'the publisher validates strictly: a stray field is a producer bug');
  });

  it('still refuse a known field that is missing or wrong, whatever the minor version', () => {
    const { title: _title, ...untitled } = task;
    assert.equal(validateConsumedEvent({ ...created(), version: '1.3', data: { task: untitled } }).ok, false);
    assert.equal(validateConsumedEvent({ ...created(), version: '1.3', data: { task: { ...task, status: 'lost' } } }).ok, false);
    assert.equal(validateConsumedEvent({ ...created(), version: 'one' }).ok, false);
  });

  it('tolerant() drops only additionalProperties: false, and leaves the schema it copies alone', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'object', additionalProperties: false }, b: { additionalProperties: { type: 'string' } } } };
    assert.deepEqual(tolerant(schema), { type: 'object', properties: { a: { type: 'object' }, b: { additionalProperties: { type: 'string' } } } });
    assert.equal(schema.additionalProperties, false);
  });
});
