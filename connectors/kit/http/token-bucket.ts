import { sleep } from './sleep.js';

/**
 * A token bucket: `requestsPerSecond` sustained, `burst` at once. `take()` reserves a token and waits until it is
 * due, so concurrent callers are served in the order they asked (tokens may go negative: each waiter's debt is
 * its place in the queue). `hold(ms)` stops everyone for a while, which is what a vendor's Retry-After asks of
 * the whole connection, not only of the request that saw it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private heldUntil = 0;

  constructor(
    readonly requestsPerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be > 0');
    if (!(burst >= 1)) throw new RangeError('burst must be >= 1');
    this.tokens = burst;
    this.last = now();
  }

  private refill(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.requestsPerSecond);
    this.last = now;
    return now;
  }

  /** Takes a token if one is free now (a simulator answering 429 otherwise). */
  tryTake(): boolean {
    const now = this.refill();
    if (now < this.heldUntil || this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token would be free, without taking it. */
  msUntilFree(): number {
    const now = this.refill();
    const forToken = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.requestsPerSecond) * 1000;
    return Math.max(forToken, this.heldUntil - now, 0);
  }

  /** Waits for a token. Rejects with the signal's reason when aborted (the token is given back). */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.refill();
    this.tokens -= 1;
    const debtMs = this.tokens >= 0 ? 0 : (-this.tokens / this.requestsPerSecond) * 1000;
    const waitMs = Math.max(debtMs, this.heldUntil - now);
    if (waitMs <= 0) return;
    try {
      await sleep(waitMs, signal);
    } catch (error) {
      this.tokens += 1;
      throw error;
    }
  }

  /** Nobody gets a token for `ms` (a vendor said Retry-After). Holds never shorten. */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }
}
