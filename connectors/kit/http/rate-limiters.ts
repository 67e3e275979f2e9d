import type { RateLimit } from '../contract.js';
import { TokenBucket } from './token-bucket.js';

/**
 * One bucket per connection per process: every client and every activity of a connection running in this worker
 * draws from the same budget, so two concurrent pages of one read cannot together exceed the vendor's limit.
 * A changed limit (the connection was reconfigured) replaces the bucket.
 */
const buckets = new Map<string, TokenBucket>();

export function rateLimiterFor(connectorId: string, connectionId: string, limit: RateLimit): TokenBucket {
  const key = `${connectorId}:${connectionId}`;
  const existing = buckets.get(key);
  if (existing && existing.requestsPerSecond === limit.requestsPerSecond && existing.burst === limit.burst) {
    return existing;
  }
  const bucket = new TokenBucket(limit.requestsPerSecond, limit.burst);
  buckets.set(key, bucket);
  return bucket;
}

/** Forgets a connection's bucket (the connection was deleted). */
export function forgetRateLimiter(connectorId: string, connectionId: string): void {
  buckets.delete(`${connectorId}:${connectionId}`);
}
