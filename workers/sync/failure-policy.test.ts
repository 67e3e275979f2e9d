import { ApplicationFailure } from '@temporalio/common';
import { ConnectorError } from '../../connectors/kit/errors.js';
import type { Connection } from '../../core/entities/index.js';
import { mapPool, toActivityFailure, withObjectRetry } from './failure-policy.js';
import { judgeThreshold } from './target-apply.js';

const retry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 20 };

describe('per-object retry then quarantine', () => {
  it('retries rate limits after Retry-After and succeeds', async () => {
    let calls = 0;
    const outcome = await withObjectRetry(async () => {
      calls += 1;
      if (calls < 3) throw new ConnectorError('rate_limited', { message: 'slow down', retryAfterMs: 5 });
      return 'done';
    }, retry);
    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
  });

  it('quarantines an object whose failure is its own', async () => {
    const outcome = await withObjectRetry(async () => {
      throw new ConnectorError('conflict', { message: 'userName taken', vendorCode: 60104 });
    }, retry);
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'conflict', vendorCode: '60104' },
      attempts: 1,
    });
  });

  it('throws fatal errors and transient errors that outlast the retries', async () => {
    await expect(
      withObjectRetry(async () => {
        throw new ConnectorError('auth_failed', { message: 'bad secret' });
      }, retry),
    ).rejects.toThrow('bad secret');
    await expect(
      withObjectRetry(async () => {
        throw new ConnectorError('unavailable', { message: '503' });
      }, retry),
    ).rejects.toThrow('503');
  });

  it('turns errors into Temporal failures with the right retry advice', () => {
    const auth = toActivityFailure(new ConnectorError('auth_failed', { message: 'bad secret' }));
    expect(auth).toBeInstanceOf(ApplicationFailure);
    expect(auth.nonRetryable).toBe(true);
    const limited = toActivityFailure(
      new ConnectorError('rate_limited', { message: 'later', retryAfterMs: 7000 }),
    );
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBe(7000);
  });

  it('runs a bounded pool in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12]);
    expect(peak).toBe(2);
  });
});

describe('deletion threshold', () => {
  const connection = {
    deletion: { leaverAction: 'disable', graceDays: 30, thresholdPercent: 10, thresholdCount: 50 },
  } as Connection;
  it('holds above 10% or 50, passes below', () => {
    expect(judgeThreshold(connection, 10, 1000).exceeded).toBe(false);
    expect(judgeThreshold(connection, 51, 10000).exceeded).toBe(true);
    expect(judgeThreshold(connection, 11, 100).exceeded).toBe(true);
    expect(judgeThreshold(connection, 1000, 1000).reason).toMatch(/1000 of 1000 \(100\.0%\)/);
    expect(judgeThreshold(connection, 0, 0).exceeded).toBe(false);
  });
});
