/**
 * Bearer JWT authentication (docs/API.md, "Conventions"): HS256 with JWT_SECRET in development, a JWKS URL in
 * production. `alg: none`, bad signatures and expired tokens are 401. The caller is `sub` and
 * nothing else; the zone is the `zoneinfo` claim or the X-Timezone header. /v1/admin needs the
 * `operator` role in the `roles` claim (403 otherwise).
 */
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { NextFunction, Request, Response } from 'express';
import { config } from '../common/config';
import { isIanaTimeZone } from '../common/validation';
import { ApiError } from './errors';

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

export async function verifyToken(token: string, source: KeySource = cachedSource()): Promise<JWTPayload> {
  const options = {
    algorithms: source.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'],
    issuer: config.jwtIssuer || undefined,
    audience: config.jwtAudience || undefined,
  };
  // Two calls because jose's overloads take either a key or a key resolver, not their union.
  const { payload } = source.kind === 'secret' ? await jwtVerify(token, source.key, options) : await jwtVerify(token, source.key, options);
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
  const email = typeof payload.email === 'string' && payload.email.length <= 320 ? payload.email : undefined;
  return { userId: sub, email, timezone: zone, zoneGiven: (claimZone ?? zoneHeader) !== undefined, roles: rolesOf(payload) };
}

/** Express middleware: sets res.locals.caller or answers 401 with a JSON error. */
export function requireAuth() {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = tokenFrom(req);
    if (!token) return next(new ApiError(401, 'unauthenticated', 'a Bearer token is required', [], { 'WWW-Authenticate': 'Bearer' }));
    let payload: JWTPayload;
    try {
      payload = await verifyToken(token);
    } catch (err) {
      const reason = (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid';
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

/** A development token (HS256 with JWT_SECRET), as `npm run token` prints. */
export async function signDevToken(userId: string, email?: string, ttlSeconds = 7 * 24 * 3600, extra: JWTPayload = {}): Promise<string> {
  const claims: JWTPayload = { ...extra };
  if (email) claims.email = email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(config.jwtSecret));
}
