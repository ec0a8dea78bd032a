/**
 * Stream tickets: `POST /v1/stream/ticket` turns the caller's Bearer token into a short-lived,
 * single-use ticket for `GET /v1/stream?ticket=…`, so a browser (which cannot set headers on a
 * WebSocket) never puts its long-lived token in a URL that proxies and servers log.
 *
 * A ticket is `<payload>.<mac>`, both base64url: the payload is the caller as the token said (user,
 * email, zone), when the ticket expires, when the token itself expires, and a random id; the mac is
 * HMAC-SHA256 over the payload with a key every gateway process shares (STREAM_TICKET_SECRET, or
 * one derived from JWT_SECRET), so any gateway process can redeem a ticket another issued. Single
 * use is enforced by each process remembering the ids it redeemed until they expire
 * (gateway/stream/README.md says what that means with several processes).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../auth';
import { SUB_PATTERN } from '../auth';
import { config } from '../../common/config';

export const TICKET_TTL_MS = 60_000;
/** Redeemed ids remembered per process; past this, the oldest (necessarily expired or soon) go first. */
export const MAX_REMEMBERED = 200_000;

export interface TicketPayload {
  /** user id (the token's sub) */
  sub: string;
  email?: string;
  /** the caller's zone, as the token or X-Timezone gave it when the ticket was issued */
  tz: string;
  zoneGiven: boolean;
  /** the ticket's expiry, ms since the epoch */
  exp: number;
  /** the Bearer token's own expiry (its exp claim, ms), so a socket need not outlive it */
  tokenExp?: number;
  /** random id: a ticket is redeemed once */
  jti: string;
}

export type Redeemed =
  | { ok: true; caller: Caller; tokenExp?: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'used' };

const b64 = (buf: Buffer) => buf.toString('base64url');

function mac(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** The HMAC key: the configured ticket secret, else one derived from the JWT secret, else random (one process only). */
export function ticketKey(ticketSecret: string, jwtSecret: string | undefined): Uint8Array {
  if (ticketSecret) return new TextEncoder().encode(ticketSecret);
  if (jwtSecret) return createHmac('sha256', jwtSecret).update('todo-actors stream ticket v1').digest();
  return randomBytes(32);
}

export function issueTicket(caller: Caller, key: Uint8Array, now: number, tokenExpSeconds?: number): { ticket: string; expiresAt: string } {
  const payload: TicketPayload = {
    sub: caller.userId,
    ...(caller.email ? { email: caller.email } : {}),
    tz: caller.timezone,
    zoneGiven: caller.zoneGiven,
    exp: now + TICKET_TTL_MS,
    ...(tokenExpSeconds !== undefined ? { tokenExp: tokenExpSeconds * 1000 } : {}),
    jti: b64(randomBytes(16)),
  };
  const body = b64(Buffer.from(JSON.stringify(payload)));
  return { ticket: `${body}.${b64(mac(key, body))}`, expiresAt: new Date(payload.exp).toISOString() };
}

/** The ids this process redeemed, each until its ticket's expiry. */
export class RedeemedTickets {
  private readonly seen = new Map<string, number>();

  /** Records the id; false when it was already redeemed. Forgets expired ids as it goes. */
  claim(jti: string, exp: number, now: number): boolean {
    for (const [id, until] of this.seen) {
      if (until >= now && this.seen.size <= MAX_REMEMBERED) break; // insertion order ≈ expiry order
      this.seen.delete(id);
    }
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, exp);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

function parsePayload(body: string): TicketPayload | undefined {
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!p || typeof p !== 'object') return undefined;
  const t = p as Record<string, unknown>;
  const ok = typeof t.sub === 'string' && SUB_PATTERN.test(t.sub) && typeof t.tz === 'string' && typeof t.zoneGiven === 'boolean'
    && typeof t.exp === 'number' && typeof t.jti === 'string' && t.jti.length > 0 && t.jti.length <= 64
    && (t.email === undefined || typeof t.email === 'string') && (t.tokenExp === undefined || typeof t.tokenExp === 'number');
  return ok ? (t as unknown as TicketPayload) : undefined;
}

/** Checks a ticket's mac, expiry and first use; the caller it was issued for when all hold. */
export function redeemTicket(ticket: string, key: Uint8Array, now: number, redeemed: RedeemedTickets): Redeemed {
  const parts = ticket.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || ticket.length > 2048) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts;
  const given = Buffer.from(sig, 'base64url');
  const want = mac(key, body);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'bad_signature' };
  const p = parsePayload(body);
  if (!p) return { ok: false, reason: 'malformed' };
  if (now >= p.exp || (p.tokenExp !== undefined && now >= p.tokenExp)) return { ok: false, reason: 'expired' };
  if (!redeemed.claim(p.jti, p.exp, now)) return { ok: false, reason: 'used' };
  // A ticket opens the stream only: it carries no roles (an operator's token gets a ticket without operator rights).
  return { ok: true, caller: { userId: p.sub, email: p.email, timezone: p.tz, zoneGiven: p.zoneGiven, roles: [] }, tokenExp: p.tokenExp };
}

export const TICKET_REFUSALS: Record<Exclude<Redeemed, { ok: true }>['reason'], string> = {
  malformed: 'the stream ticket is malformed',
  bad_signature: 'the stream ticket is not valid',
  expired: 'the stream ticket has expired (tickets are valid 60 s): ask POST /v1/stream/ticket for a new one',
  used: 'the stream ticket was already used (tickets are single use): ask POST /v1/stream/ticket for a new one',
};

let processTickets: { key: Uint8Array; redeemed: RedeemedTickets } | undefined;
/** This process's ticket key and the ids it has redeemed. */
export function tickets(): { key: Uint8Array; redeemed: RedeemedTickets } {
  processTickets ??= { key: ticketKey(config.streamTicketSecret, config.jwtJwksUrl ? undefined : config.jwtSecret), redeemed: new RedeemedTickets() };
  return processTickets;
}
