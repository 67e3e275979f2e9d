import type { Request, RequestHandler, Response } from 'express';
import type { RateLimit } from '../contract.js';
import { TokenBucket } from '../http/token-bucket.js';

/**
 * The vendor's documented rate limit, enforced by a simulator: a token bucket per key (per token, per app, per
 * client IP — whatever the vendor counts by). Over the limit the vendor's own "too many requests" answer is sent.
 */
export function documentedRateLimit(options: {
  limit: RateLimit;
  key?: (req: Request) => string;
  respond: (req: Request, res: Response, retryAfterSeconds: number) => void;
}): RequestHandler {
  const buckets = new Map<string, TokenBucket>();
  return (req, res, next) => {
    if (req.path.startsWith('/_sim/')) return next();
    const key = options.key?.(req) ?? 'all';
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(options.limit.requestsPerSecond, options.limit.burst);
      buckets.set(key, bucket);
    }
    if (bucket.tryTake()) return next();
    options.respond(req, res, Math.max(1, Math.ceil(bucket.msUntilFree() / 1000)));
  };
}
