/**
 * The tokens this gateway verified lately: a request with a token it verified less than
 * `ttlMs` ago skips the signature check (HS256 or a JWKS key's, the gateway's largest cost per
 * request after the network), and is refused once its `exp` passes exactly as a fresh
 * verification would refuse it. Only successes are kept, by the whole token text (a changed byte
 * is another token, verified afresh); every other check of the policy gives the same answer later
 * as it did when the token was verified (iat and nbf only get further in the past). The one
 * difference, bounded by `ttlMs`: a JWKS key the identity provider withdraws keeps accepting the
 * tokens verified with it for at most that long. Bounded in entries: the oldest go first.
 */
import type { JWTPayload } from 'jose';

interface Entry {
  payload: JWTPayload;
  /** When the entry stops answering (ms): the token's exp, or verification time + ttlMs, whichever is first. */
  until: number;
  exp: number;
}

export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The payload of a token verified less than ttlMs ago that has not expired; undefined otherwise. */
  get(token: string): JWTPayload | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    const now = this.now();
    // jose refuses a token whose exp is not after the current second; the same here.
    if (now >= e.until || Math.floor(now / 1000) >= e.exp) {
      this.entries.delete(token);
      return undefined;
    }
    return e.payload;
  }

  /** Remembers a token that was just verified (its payload has a numeric exp: the policy requires one). */
  set(token: string, payload: JWTPayload): void {
    if (typeof payload.exp !== 'number') return;
    this.entries.delete(token);
    this.entries.set(token, { payload, exp: payload.exp, until: Math.min(this.now() + this.ttlMs, payload.exp * 1000) });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Verifies with `verify` unless the token is remembered; remembers a success. */
  async verified(token: string, verify: (token: string) => Promise<JWTPayload>): Promise<JWTPayload> {
    const known = this.get(token);
    if (known) return known;
    const payload = await verify(token);
    this.set(token, payload);
    return payload;
  }
}
