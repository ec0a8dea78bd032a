import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY } from '../../common/backoff';
import { abandonedOutcome, attemptDelivery, isPermanentRefusal, type OutgoingMail, type SendFn } from './deliveryPolicy';
import { isSingleAddress } from '../../common/validation';

const NOW = new Date('2026-12-01T08:00:05Z');
const FIRED = new Date(NOW.getTime() - 50);
const render = () => ({ subject: 'Reminder: x', text: 'x' });

const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1025'), { code: 'ESOCKET' });

/** A fake transport: records what it was asked to send; fails the first `failures` calls with `error`. */
function fakeTransport(failures = 0, error: () => Error = connectionRefused): { send: SendFn; sent: OutgoingMail[]; calls: () => number } {
  let calls = 0;
  const sent: OutgoingMail[] = [];
  return {
    sent,
    calls: () => calls,
    send: async (mail) => {
      calls++;
      if (calls <= failures) throw error();
      sent.push(mail);
      return { acceptedAt: new Date(NOW.getTime() + 100) };
    },
  };
}

describe('reminder delivery state machine', () => {
  const deps = (send: SendFn) => ({ send, policy: DEFAULT_RETRY_POLICY, maxAgeMs: 3600_000, now: () => NOW, random: () => 0.5 });

  it('marks a first successful try sent, with 1 attempt and the time SMTP accepted it', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: 'anna@example.com', failedAttempts: 0, firedAt: FIRED, render }, deps(t.send));
    assert.deepEqual(o, { status: 'sent', attempts: 1, sentAt: new Date(NOW.getTime() + 100) });
    assert.deepEqual(t.sent, [{ to: 'anna@example.com', subject: 'Reminder: x', text: 'x' }]);
  });

  it('schedules a failed try again after the jittered backoff, keeping the error', async () => {
    const o = await attemptDelivery({ recipient: 'anna@example.com', failedAttempts: 2, firedAt: FIRED, render }, deps(fakeTransport(1).send));
    assert.equal(o.status, 'pending');
    if (o.status !== 'pending') return;
    assert.equal(o.attempts, 3);
    // Third failure: ceiling 4 s, random 0.5 → 2 s.
    assert.equal(o.nextAttemptAt.getTime() - NOW.getTime(), 2000);
    assert.match(o.error, /ESOCKET: connect ECONNREFUSED/);
  });

  it('walks a flaky server through retries to success, counting every try', async () => {
    const t = fakeTransport(3);
    let failed = 0;
    let o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, firedAt: FIRED, render }, deps(t.send));
    while (o.status === 'pending') {
      failed = o.attempts;
      o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, firedAt: FIRED, render }, deps(t.send));
    }
    assert.equal(o.status, 'sent');
    assert.equal(o.attempts, 4);
    assert.equal(t.calls(), 4);
  });

  it('gives up when the 10th retry fails, dead-lettering it, and never sends a 12th try', async () => {
    const t = fakeTransport(Infinity);
    const outcomes = [];
    let failed = 0;
    for (;;) {
      const o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, firedAt: FIRED, render }, deps(t.send));
      outcomes.push(o);
      if (o.status !== 'pending') break;
      failed = o.attempts;
    }
    assert.equal(t.calls(), 11);
    assert.deepEqual(outcomes.map((o) => o.status), [...Array(10).fill('pending'), 'failed']);
    const waits = outcomes.flatMap((o) => (o.status === 'pending' ? [o.nextAttemptAt.getTime() - NOW.getTime()] : []));
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000], 'half of each ceiling 1 s … 512 s (random 0.5)');
    const last = outcomes[10];
    assert.ok(last.status === 'failed' && last.kind === 'attempts_exhausted' && last.deadLetter && last.attempts === 11);
    assert.match(last.status === 'failed' ? last.reason : '', /^gave up after 11 tries: ESOCKET/);
  });

  it('fails a permanent SMTP refusal (5xx) at once, dead-lettered, without retries; a 4xx is retried', async () => {
    const refusal = (code: number, text: string) => () => Object.assign(new Error(`Can't send mail - all recipients were rejected: ${code} ${text}`), { code: 'EENVELOPE', responseCode: code });
    const t = fakeTransport(Infinity, refusal(550, '5.1.1 mailbox unavailable'));
    const o = await attemptDelivery({ recipient: 'gone@example.com', failedAttempts: 0, firedAt: FIRED, render }, deps(t.send));
    assert.ok(o.status === 'failed' && o.kind === 'rejected' && o.deadLetter && o.attempts === 1, JSON.stringify(o));
    assert.match(o.status === 'failed' ? o.reason : '', /^refused by the SMTP server: EENVELOPE 550: .*mailbox unavailable/);
    assert.equal(t.calls(), 1);
    const busy = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: 0, firedAt: FIRED, render }, deps(fakeTransport(1, refusal(451, '4.3.0 try again later')).send));
    assert.equal(busy.status, 'pending');
    for (const code of [500, 501, 550, 553, 554]) assert.equal(isPermanentRefusal({ responseCode: code }), true, String(code));
    for (const e of [{ responseCode: 421 }, { responseCode: 451 }, { code: 'ETIMEDOUT' }, new Error('x'), null, undefined]) assert.equal(isPermanentRefusal(e), false, JSON.stringify(e));
  });

  it('expires a reminder whose first try comes more than the maximum age after it fired: not sent, no dead letter', async () => {
    const t = fakeTransport();
    const old = new Date(NOW.getTime() - 3600_000 - 1);
    const o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: 0, firedAt: old, render }, deps(t.send));
    assert.deepEqual(o, { status: 'failed', attempts: 0, reason: 'expired', failedAt: NOW, kind: 'expired', deadLetter: false });
    assert.equal(t.calls(), 0);
    // Exactly the maximum age is still sent; a retry already under way is never expired; 0 turns the check off.
    const edge = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: 0, firedAt: new Date(NOW.getTime() - 3600_000), render }, deps(t.send));
    assert.equal(edge.status, 'sent');
    const retry = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: 3, firedAt: old, render }, deps(t.send));
    assert.equal(retry.status, 'sent');
    const noLimit = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: 0, firedAt: new Date(0), render }, { ...deps(t.send), maxAgeMs: 0 });
    assert.equal(noLimit.status, 'sent');
  });

  it('fails at once with "no address", without a send or a dead letter, when the user has no email', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: null, failedAttempts: 0, firedAt: FIRED, render }, deps(t.send));
    assert.deepEqual(o, { status: 'failed', attempts: 0, reason: 'no address', failedAt: NOW, kind: 'no_address', deadLetter: false });
    assert.equal(t.calls(), 0);
  });

  it('refuses an address that would send to someone else, without retries', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: 'a@example.com\r\nBcc: b@example.com', failedAttempts: 0, firedAt: FIRED, render }, deps(t.send));
    assert.ok(o.status === 'failed' && o.kind === 'invalid_address' && !o.deadLetter);
    assert.equal(t.calls(), 0);
    for (const bad of ['a@x.com, b@y.com', 'Anna <a@x.com>', 'a b@x.com', 'nobody']) assert.equal(isSingleAddress(bad), false, bad);
    for (const good of ['a@x.com', 'first.last+tag@sub.example.co.uk']) assert.equal(isSingleAddress(good), true, good);
  });

  it('settles a claim abandoned mid-send as a final, dead-lettered failure (at most once)', () => {
    const o = abandonedOutcome(2, NOW);
    assert.ok(o.status === 'failed' && o.kind === 'outcome_unknown' && o.deadLetter && o.attempts === 3);
  });
});
