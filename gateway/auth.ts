/**
 * Bearer JWT authentication (docs/API.md, "Conventions"): HS256 with JWT_SECRET in development, a JWKS URL in
 * production. `alg: none`, bad signatures, expired tokens and tokens outside the policy (TokenPolicy)
 * are 401 with the reason. The caller is `sub` and nothing else; the zone is the `zoneinfo` claim or
 * the X-Timezone header. /v1/admin needs the `operator` role in the `roles` claim (403 otherwise).
 */
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { NextFunction, Request, Response } from 'express';
import { config } from '../common/config';
import { isIanaTimeZone, isSingleAddress } from '../common/validation';
import { ApiError } from './errors';
import { VerifiedTokens } from './verifiedTokens';

export interface Caller {
  userId: string;
  email?: string;
  timezone: string;
  /** Whether the zone came from the token or the header, rather than the UTC default. */
  zoneGiven: boolean;
  /** The token's `roles` claim (an array of strings, or one space-separated string); `operator` opens /v1/admin. */
  roles: readonly string[];
}

export const OPERATOR_ROLE = 'operator';

/** The `roles` claim as a list: an array of strings, or a space-separated string (as OAuth scopes are); anything else is none. */
export function rolesOf(payload: JWTPayload): string[] {
  const r = payload.roles;
  if (typeof r === 'string') return r.split(/\s+/).filter(Boolean);
  if (Array.isArray(r)) return r.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Dapr actor ids travel in URLs: keep them to a safe, unambiguous alphabet. */
export const SUB_PATTERN = /^[A-Za-z0-9._@:|+-]{1,128}$/;

export type KeySource = { kind: 'secret'; key: Uint8Array } | { kind: 'jwks'; key: JWTVerifyGetKey };

/** Production: the identity provider's keys, fetched from its JWKS URL and cached by jose. */
export function jwksSource(url: string): KeySource {
  return { kind: 'jwks', key: createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 }) };
}

/** Development: one shared HS256 secret. */
export function secretSource(secret: string): KeySource {
  return { kind: 'secret', key: new TextEncoder().encode(secret) };
}

function keySource(): KeySource {
  return config.jwtJwksUrl ? jwksSource(config.jwtJwksUrl) : secretSource(config.jwtSecret);
}

/** The Bearer token of a request's Authorization header (an express request or a raw upgrade request). */
export function tokenFrom(req: { headers: { authorization?: string } }): string | undefined {
  const h = req.headers.authorization;
  return h ? /^Bearer\s+(\S+)$/i.exec(h)?.[1] : undefined;
}

/**
 * What a token must satisfy beyond its signature (gateway/security/README.md): an `exp`, a lifetime
 * (exp − iat, or exp − now without iat) of at most `maxLifetimeSeconds`, no `iat` in the future
 * beyond the clock skew, and the configured `iss` and `aud`; a JWKS token must carry both.
 */
export interface TokenPolicy {
  issuer?: string;
  audience?: string;
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
}

export function configuredPolicy(): TokenPolicy {
  return {
    issuer: config.jwtIssuer || undefined,
    audience: config.jwtAudience || undefined,
    maxLifetimeSeconds: config.jwtMaxLifetimeSeconds,
    clockSkewSeconds: config.jwtClockSkewSeconds,
  };
}

/** A token the gateway refuses, and why (the 401's message). */
export class TokenRefused extends Error {}

/** The reason of a refusal by jose, in the words of the 401. */
function joseReason(err: unknown): string {
  const e = err as { code?: string; claim?: string; reason?: string };
  if (e.code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim) {
    if (e.reason === 'missing') return `the token has no ${e.claim} claim`;
    if (e.claim === 'iss') return 'the token\'s issuer (iss) is not the one accepted';
    if (e.claim === 'aud') return 'the token\'s audience (aud) is not the one accepted';
    if (e.claim === 'nbf') return 'the token is not valid yet (nbf)';
    return `the token's ${e.claim} claim is not valid`;
  }
  return 'the token is not valid';
}

/** Verifies the signature and the policy; a refusal is a TokenRefused saying why. */
export async function verifyToken(token: string, source: KeySource = cachedSource(), policy: TokenPolicy = configuredPolicy()): Promise<JWTPayload> {
  const options = {
    algorithms: source.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'],
    issuer: policy.issuer,
    audience: policy.audience,
    // A shared identity provider signs tokens for many applications: only iss and aud say they are ours.
    requiredClaims: source.kind === 'jwks' ? ['exp', 'iss', 'aud'] : ['exp'],
  };
  let payload: JWTPayload;
  try {
    // Two calls because jose's overloads take either a key or a key resolver, not their union.
    payload = source.kind === 'secret' ? (await jwtVerify(token, source.key, options)).payload : (await jwtVerify(token, source.key, options)).payload;
  } catch (err) {
    throw new TokenRefused(joseReason(err));
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number; // required above, and jose checked it is a number
  if (typeof payload.iat === 'number' && payload.iat > now + policy.clockSkewSeconds) {
    throw new TokenRefused('the token was issued in the future (iat)');
  }
  const lifetime = exp - (typeof payload.iat === 'number' ? payload.iat : now);
  if (lifetime > policy.maxLifetimeSeconds + policy.clockSkewSeconds) {
    throw new TokenRefused(`the token lives longer than the ${policy.maxLifetimeSeconds} s allowed (exp − iat)`);
  }
  return payload;
}

let source: KeySource | undefined;
function cachedSource(): KeySource {
  source ??= keySource();
  return source;
}

export function callerFrom(payload: JWTPayload, zoneHeader: string | undefined): Caller {
  const sub = payload.sub;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) {
    throw new ApiError(401, 'unauthenticated', 'the token has no usable sub claim');
  }
  const claimZone = typeof payload.zoneinfo === 'string' ? payload.zoneinfo : undefined;
  const zone = claimZone ?? zoneHeader ?? 'UTC';
  if (!isIanaTimeZone(zone)) {
    throw new ApiError(400, 'invalid_input', 'the time zone is not an IANA zone', [
      { field: claimZone ? 'zoneinfo' : 'X-Timezone', message: 'must be an IANA time zone, e.g. Europe/Berlin' },
    ]);
  }
  if (payload.email !== undefined && (typeof payload.email !== 'string' || !isSingleAddress(payload.email))) {
    throw new ApiError(401, 'unauthenticated', 'the token\'s email claim must be one mailbox (no list, no display name)');
  }
  // An address the identity provider says it has not verified could be anyone's: never mail it.
  const unverified = payload.email_verified === false || payload.email_verified === 'false';
  const email = unverified ? undefined : (payload.email as string | undefined);
  return { userId: sub, email, timezone: zone, zoneGiven: (claimZone ?? zoneHeader) !== undefined, roles: rolesOf(payload) };
}

/** The tokens of this process's recent requests (gateway/verifiedTokens.ts): each is verified once a minute at most. */
const verifiedTokens = new VerifiedTokens();

/** Express middleware: sets res.locals.caller or answers 401 with a JSON error. */
export function requireAuth() {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = tokenFrom(req);
    if (!token) return next(new ApiError(401, 'unauthenticated', 'a Bearer token is required', [], { 'WWW-Authenticate': 'Bearer' }));
    let payload: JWTPayload;
    try {
      payload = await verifiedTokens.verified(token, (t) => verifyToken(t));
    } catch (err) {
      const reason = err instanceof TokenRefused ? err.message : 'the token is not valid';
      return next(new ApiError(401, 'unauthenticated', reason, [], { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));
    }
    try {
      res.locals.caller = callerFrom(payload, req.header('x-timezone') ?? undefined);
      res.locals.tokenExp = payload.exp;
    } catch (err) {
      return next(err);
    }
    next();
  };
}

/** Express middleware after requireAuth: 403 unless the caller's roles include `operator`. */
export function requireOperator() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const caller = res.locals.caller as Caller;
    if (caller.roles.includes(OPERATOR_ROLE)) return next();
    next(new ApiError(403, 'forbidden', `this route is for operators: the token's roles claim must contain "${OPERATOR_ROLE}"`));
  };
}

/** A development token (HS256 with JWT_SECRET), as `npm run token` prints: valid for the longest lifetime allowed unless told. */
export async function signDevToken(userId: string, email?: string, ttlSeconds = config.jwtMaxLifetimeSeconds, extra: JWTPayload = {}): Promise<string> {
  ttlSeconds = Math.min(ttlSeconds, config.jwtMaxLifetimeSeconds);
  const claims: JWTPayload = { ...extra };
  if (email) claims.email = email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(config.jwtSecret));
}
