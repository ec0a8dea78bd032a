/** The development SMTP sink of the real stack: a real SMTP client sends, GET /messages lists (docs/API.md, "Emails"). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { config } from '../common/config';
import { eventually } from './testSupport';

describe('development SMTP sink', function () {
  this.timeout(30_000);

  it('receives an email over SMTP and lists it at GET /messages as {from, to, subject, text, receivedAt}', async () => {
    const to = `sink-${randomUUID().slice(0, 8)}@example.com`;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: config.smtpPort, secure: false, ignoreTLS: true });
    const before = Date.now();
    await transport.sendMail({ from: 'reminders@todo.local', to, subject: 'Reminder: send the report', text: 'Due at 09:00 Europe/Berlin.' });
    const messages = await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(to)}`);
      const list = (await res.json()) as Array<Record<string, unknown>>;
      return list.length ? list : undefined;
    }, 10_000, 'the email in the sink');
    assert.equal(messages.length, 1);
    const m = messages[0];
    assert.deepEqual(Object.keys(m).sort(), ['from', 'receivedAt', 'subject', 'text', 'to']);
    assert.equal(m.from, 'reminders@todo.local');
    assert.deepEqual(m.to, [to]);
    assert.equal(m.subject, 'Reminder: send the report');
    assert.equal((m.text as string).trim(), 'Due at 09:00 Europe/Berlin.');
    assert.ok(Date.parse(m.receivedAt as string) >= before - 1000);
    const all = (await (await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages`)).json()) as unknown[];
    assert.ok(Array.isArray(all) && all.length >= 1, 'unfiltered list is a JSON array');
  });

  it('refuses the test domains for real: 451 for …@tempfail.invalid, 550 for …@unavailable.invalid, and keeps nothing', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: config.smtpPort, secure: false, ignoreTLS: true });
    for (const [to, code] of [[`t-${randomUUID().slice(0, 8)}@tempfail.invalid`, 451], [`u-${randomUUID().slice(0, 8)}@unavailable.invalid`, 550]] as const) {
      await assert.rejects(transport.sendMail({ from: 'reminders@todo.local', to, subject: 's', text: 't' }), (err: { responseCode?: number }) => {
        assert.equal(err.responseCode, code, to);
        return true;
      });
      const res = await fetch(`http://127.0.0.1:${config.smtpSinkHttpPort}/messages?to=${encodeURIComponent(to)}`);
      assert.deepEqual(await res.json(), [], `nothing kept for ${to}`);
    }
  });
});
