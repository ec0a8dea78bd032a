/**
 * Reminders set for a moment that has passed, on the real stack: less than the grace period ago
 * (60 s) the reminder fires at once and its email says it is late; further back the write is
 * refused with 400 naming the reminder, for an `at` reminder and for a `before` reminder whose
 * time passed because the due time is near. Never a reminder shown as set that does not fire.
 */
import assert from 'node:assert/strict';
import { config } from '../common/config';
import { api, eventually, tokenFor, uniqueUser } from '../stack/testSupport';

interface Sunk { to: string[]; subject: string; text: string }
const inbox = async (to: string): Promise<Sunk[]> => (await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(to)}`)).json() as Promise<Sunk[]>;

describe('reminders set for a moment that has passed', function () {
  this.timeout(90_000);

  it('one 20 s in the past fires at once and its email says it is late', async () => {
    const user = uniqueUser('past-reminder');
    const email = `${user}@example.com`;
    const token = await tokenFor(user, email);
    const at = new Date(Date.now() - 20_000).toISOString();
    const r = await api('POST', '/v1/tasks', { token, body: { title: 'Call the plumber', reminders: [{ id: 'r', at }] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.reminders, [{ id: 'r', at: new Date(at).toISOString() }]);
    const mails = await eventually(async () => {
      const m = await inbox(email);
      return m.length ? m : undefined;
    }, 45_000, 'the late reminder\'s email');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Reminder: Call the plumber');
    assert.match(mails[0].text, /This reminder is late: it was set for /);
  });

  it('one further back than the grace period is refused with 400 naming it; so is a `before` reminder whose time has passed, on create and on update', async () => {
    const token = await tokenFor(uniqueUser('past-reminder'));
    const old = await api('POST', '/v1/tasks', { token, body: { title: 'x', reminders: [{ id: 'late', at: new Date(Date.now() - 5 * 60_000).toISOString() }] } });
    assert.equal(old.status, 400, JSON.stringify(old.body));
    assert.deepEqual(old.body.error.details.map((d: { field: string }) => d.field), ['reminders.0']);
    assert.match(old.body.error.details[0].message, /"late" would fire at .* in the past/);

    const soonDue = new Date(Date.now() + 5 * 60_000).toISOString();
    const before = await api('POST', '/v1/tasks', { token, body: { title: 'y', due: soonDue, reminders: [{ id: 'b', before: 'PT15M' }] } });
    assert.equal(before.status, 400, JSON.stringify(before.body));
    assert.deepEqual(before.body.error.details.map((d: { field: string }) => d.field), ['reminders.0']);

    const ok = await api('POST', '/v1/tasks', { token, body: { title: 'z', due: new Date(Date.now() + 3 * 3600_000).toISOString(), reminders: [{ id: 'b', before: 'PT15M' }] } });
    assert.equal(ok.status, 201);
    const moved = await api('PATCH', `/v1/tasks/${ok.body.id}`, { token, body: { due: soonDue } });
    assert.equal(moved.status, 400, `moving the due time so that the reminder is in the past: ${JSON.stringify(moved.body)}`);
    const renamed = await api('PATCH', `/v1/tasks/${ok.body.id}`, { token, body: { title: 'renamed' } });
    assert.equal(renamed.status, 200, 'an edit that leaves the reminder where it was is fine');
  });
});
