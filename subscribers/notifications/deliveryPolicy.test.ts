import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY } from './backoff';
import { abandonedOutcome, attemptDelivery, isSingleAddress, type OutgoingMail, type SendFn } from './deliveryPolicy';

const NOW = new Date('2026-12-01T08:00:05Z');
const render = () => ({ subject: 'Reminder: x', text: 'x' });

/** A fake transport: records what it was asked to send; fails the first `failures` calls. */
function fakeTransport(failures = 0): { send: SendFn; sent: OutgoingMail[]; calls: () => number } {
  let calls = 0;
  const sent: OutgoingMail[] = [];
  return {
    sent,
    calls: () => calls,
    send: async (mail) => {
      calls++;
      if (calls <= failures) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1025'), { code: 'ESOCKET' });
      sent.push(mail);
      return { acceptedAt: new Date(NOW.getTime() + 100) };
    },
  };
}

describe('reminder delivery state machine', () => {
  const deps = (send: SendFn) => ({ send, policy: DEFAULT_RETRY_POLICY, now: () => NOW, random: () => 0.5 });

  it('marks a first successful try sent, with 1 attempt and the time SMTP accepted it', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: 'anna@example.com', failedAttempts: 0, render }, deps(t.send));
    assert.deepEqual(o, { status: 'sent', attempts: 1, sentAt: new Date(NOW.getTime() + 100) });
    assert.deepEqual(t.sent, [{ to: 'anna@example.com', subject: 'Reminder: x', text: 'x' }]);
  });

  it('schedules a failed try again after the jittered backoff, keeping the error', async () => {
    const o = await attemptDelivery({ recipient: 'anna@example.com', failedAttempts: 2, render }, deps(fakeTransport(1).send));
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
    let o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, render }, deps(t.send));
    while (o.status === 'pending') {
      failed = o.attempts;
      o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, render }, deps(t.send));
    }
    assert.equal(o.status, 'sent');
    assert.equal(o.attempts, 4);
    assert.equal(t.calls(), 4);
  });

  it('gives up after the 10th failed try, dead-lettering it, and never sends an 11th', async () => {
    const t = fakeTransport(Infinity);
    const outcomes = [];
    let failed = 0;
    for (;;) {
      const o = await attemptDelivery({ recipient: 'a@example.com', failedAttempts: failed, render }, deps(t.send));
      outcomes.push(o);
      if (o.status !== 'pending') break;
      failed = o.attempts;
    }
    assert.equal(t.calls(), 10);
    assert.deepEqual(outcomes.map((o) => o.status), [...Array(9).fill('pending'), 'failed']);
    const last = outcomes[9];
    assert.ok(last.status === 'failed' && last.kind === 'attempts_exhausted' && last.deadLetter && last.attempts === 10);
    assert.match(last.status === 'failed' ? last.reason : '', /^gave up after 10 tries: ESOCKET/);
  });

  it('fails at once with "no address", without a send or a dead letter, when the user has no email', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: null, failedAttempts: 0, render }, deps(t.send));
    assert.deepEqual(o, { status: 'failed', attempts: 0, reason: 'no address', failedAt: NOW, kind: 'no_address', deadLetter: false });
    assert.equal(t.calls(), 0);
  });

  it('refuses an address that would send to someone else, without retries', async () => {
    const t = fakeTransport();
    const o = await attemptDelivery({ recipient: 'a@example.com\r\nBcc: b@example.com', failedAttempts: 0, render }, deps(t.send));
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
