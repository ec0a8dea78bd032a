import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Caller } from '../auth';
import { issueTicket, redeemTicket, RedeemedTickets, TICKET_TTL_MS, ticketKey } from './ticket';

const alice: Caller = { userId: 'alice', email: 'alice@example.com', timezone: 'Europe/Berlin', zoneGiven: true, roles: [] };
const key = ticketKey('', 'a-jwt-secret');
const t0 = Date.parse('2026-12-03T08:00:00Z');

describe('stream tickets', () => {
  it('a ticket is redeemed once, for the caller it was issued to', () => {
    const { ticket, expiresAt } = issueTicket(alice, key, t0);
    assert.equal(expiresAt, new Date(t0 + TICKET_TTL_MS).toISOString());
    const redeemed = new RedeemedTickets();
    assert.deepEqual(redeemTicket(ticket, key, t0 + 1000, redeemed), { ok: true, caller: alice, tokenExp: undefined });
    assert.deepEqual(redeemTicket(ticket, key, t0 + 2000, redeemed), { ok: false, reason: 'used' });
  });

  it('a ticket is refused from 60 s after it was issued, and once the token it came from has expired', () => {
    const { ticket } = issueTicket(alice, key, t0);
    assert.deepEqual(redeemTicket(ticket, key, t0 + TICKET_TTL_MS, new RedeemedTickets()), { ok: false, reason: 'expired' });
    const short = issueTicket(alice, key, t0, (t0 + 10_000) / 1000).ticket;
    assert.deepEqual(redeemTicket(short, key, t0 + 10_000, new RedeemedTickets()), { ok: false, reason: 'expired' });
    const r = redeemTicket(short, key, t0 + 5_000, new RedeemedTickets());
    assert.equal(r.ok && r.tokenExp, t0 + 10_000);
  });

  it('a ticket signed with another key, or with its payload changed, is refused', () => {
    const { ticket } = issueTicket(alice, key, t0);
    assert.deepEqual(redeemTicket(ticket, ticketKey('', 'another-secret'), t0, new RedeemedTickets()), { ok: false, reason: 'bad_signature' });
    const [body, mac] = ticket.split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('"alice"', '"mallory"')).toString('base64url');
    assert.deepEqual(redeemTicket(`${forged}.${mac}`, key, t0, new RedeemedTickets()), { ok: false, reason: 'bad_signature' });
  });

  it('the key is the configured ticket secret when there is one, so every gateway process agrees', () => {
    const { ticket } = issueTicket(alice, ticketKey('shared', 'jwt-1'), t0);
    assert.equal(redeemTicket(ticket, ticketKey('shared', 'jwt-2'), t0, new RedeemedTickets()).ok, true);
    assert.notDeepEqual(ticketKey('', undefined), ticketKey('', undefined), 'without any secret, each process has its own random key');
  });

  it('any string that is not a ticket is refused without throwing', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = redeemTicket(s, key, t0, new RedeemedTickets());
      assert.equal(r.ok, false);
    }));
    assert.deepEqual(redeemTicket('a.b.c', key, t0, new RedeemedTickets()), { ok: false, reason: 'malformed' });
  });

  it('forgets redeemed ids once their tickets have expired', () => {
    const redeemed = new RedeemedTickets();
    for (let i = 0; i < 5; i++) redeemTicket(issueTicket(alice, key, t0).ticket, key, t0, redeemed);
    assert.equal(redeemed.size, 5);
    redeemTicket(issueTicket(alice, key, t0 + 2 * TICKET_TTL_MS).ticket, key, t0 + 2 * TICKET_TTL_MS, redeemed);
    assert.equal(redeemed.size, 1);
  });
});
