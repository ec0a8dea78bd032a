/**
 * Per-user rate limiting: a token bucket per authenticated user (the token's sub), refilled at
 * `perSecond` up to `burst`. Over the limit: 429 with Retry-After. Buckets live in this gateway
 * process; idle ones are forgotten so memory stays bounded.
 *
 * Several gateways: each process enforces its share of the configured limit (perPodLimit), the
 * configured rate and burst divided by RATE_LIMIT_GATEWAYS, so the sum over every gateway never
 * exceeds the configured limit, however a user's requests spread over them. The price: a user whose
 * requests all reach one gateway gets only that gateway's share (a load balancer spreads them), and
 * with fewer gateways running than RATE_LIMIT_GATEWAYS (an autoscaler below its maximum) a user gets
 * that fraction of the limit. No shared counter, so no extra round trip per request.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Caller } from '../auth';
import { ApiError } from '../errors';

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly maxKeys = 100_000) {}

  /** 0 when a request may go now; otherwise the seconds to wait before one token is back. */
  take(key: string, now = Date.now()): number {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evictIdle(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / this.perSecond;
  }

  /** Drops full buckets (idle users), or the oldest half if every bucket is in use. */
  private evictIdle(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.floor(this.maxKeys / 2);
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** This gateway's share of a limit that `gateways` processes enforce together; at least one request of burst. */
export function perPodLimit(perSecond: number, burst: number, gateways: number): { perSecond: number; burst: number } {
  const n = Math.max(1, Math.floor(gateways));
  return { perSecond: perSecond / n, burst: Math.max(1, Math.floor(burst / n)) };
}

export function rateLimitPerUser(configuredPerSecond: number, configuredBurst: number, gateways = 1) {
  const { perSecond, burst } = perPodLimit(configuredPerSecond, configuredBurst, gateways);
  const buckets = new TokenBuckets(perSecond, burst);
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (perSecond <= 0) return next();
    const wait = buckets.take((res.locals.caller as Caller).userId);
    if (wait === 0) return next();
    const seconds = String(Math.max(1, Math.ceil(wait)));
    next(new ApiError(429, 'rate_limited', `too many requests; retry in ${seconds} s`, [], { 'Retry-After': seconds }));
  };
}
