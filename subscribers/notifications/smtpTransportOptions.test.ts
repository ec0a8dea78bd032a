import assert from 'node:assert/strict';
import { smtpTransportOptions } from './mailer';

describe('SMTP connection from SMTP_TLS, SMTP_USER and SMTP_PASSWORD', () => {
  const base = { host: 'smtp.example.com', port: 587, from: 'reminders@example.com', connections: 1 };

  it('none: plain SMTP without auth, as the local sink wants', () => {
    const o = smtpTransportOptions({ ...base, port: 1025 });
    assert.equal(o.secure, false);
    assert.equal(o.ignoreTLS, true);
    assert.equal(o.requireTLS, false);
    assert.equal(o.auth, undefined);
  });

  it('starttls: the upgrade is required, never skipped, and the credentials are sent', () => {
    const o = smtpTransportOptions({ ...base, tls: 'starttls', user: 'ocid1.user', password: 'p' });
    assert.deepEqual([o.secure, o.ignoreTLS, o.requireTLS], [false, false, true]);
    assert.deepEqual(o.auth, { user: 'ocid1.user', pass: 'p' });
  });

  it('tls: implicit TLS from the first byte', () => {
    const o = smtpTransportOptions({ ...base, port: 465, tls: 'tls' });
    assert.deepEqual([o.secure, o.ignoreTLS, o.requireTLS], [true, false, false]);
  });
});
