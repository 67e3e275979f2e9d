import { fullJitterDelay } from './backoff.js';
import { parseRetryAfter } from './retry-after.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows the burst at once, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.msUntilFree()).toBeCloseTo(100);
    now += 100;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('queues waiters in order: each waits for its own token', async () => {
    const bucket = new TokenBucket(50, 1);
    const started = performance.now();
    const done: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => bucket.take().then(() => done.push(i))));
    // 1 at once, then 4 more at 50/s: about 80 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(done).toEqual([0, 1, 2, 3, 4]);
  });

  it('holds everyone for a Retry-After', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    bucket.hold(2000);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilFree()).toBe(2000);
    now += 2000;
    expect(bucket.tryTake()).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:40 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('fullJitterDelay', () => {
  it('stays under the exponential ceiling and the cap', () => {
    expect(fullJitterDelay(1, 100, 10_000, () => 0.999)).toBeLessThan(100);
    expect(fullJitterDelay(4, 100, 10_000, () => 0.999)).toBeLessThan(800);
    expect(fullJitterDelay(30, 100, 10_000, () => 0.999)).toBeLessThan(10_000);
    expect(fullJitterDelay(3, 100, 10_000, () => 0)).toBe(0);
  });
});
