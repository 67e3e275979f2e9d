import { ApplicationFailure } from '@temporalio/common';
import { isConnectorError, type ConnectorError } from '../../connectors/kit/errors.js';
import { JunctionError } from '../../core/errors.js';

/** Failures that no retry fixes: the whole run stops and says what to fix (credentials, configuration). */
const FATAL_CODES = new Set(['auth_failed', 'invalid_config']);

export type ObjectError = { code: string; message: string; vendorCode?: string; vendorMessage?: string };

export function isFatal(error: unknown): boolean {
  return isConnectorError(error) && FATAL_CODES.has(error.connectorCode);
}

export function isTransient(error: unknown): error is ConnectorError {
  return isConnectorError(error) && error.retryable;
}

/** What a SyncEvent stores: codes and the vendor's words, never a stack. */
export function toObjectError(error: unknown): ObjectError {
  if (isConnectorError(error)) return error.toRecord();
  if (error instanceof JunctionError) return { code: error.code, message: error.publicMessage };
  return { code: 'internal', message: error instanceof Error ? error.message.slice(0, 500) : String(error) };
}

/**
 * Turns an error that escapes a page activity into the Temporal failure that makes the retry policy do the right
 * thing: bad credentials/config never retry; rate limits come back after the vendor's Retry-After.
 */
export function toActivityFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const record = toObjectError(error);
  if (isConnectorError(error)) {
    return ApplicationFailure.create({
      type: `connector.${error.connectorCode}`,
      message: record.message,
      nonRetryable: FATAL_CODES.has(error.connectorCode) || !error.retryable,
      ...(error.retryAfterMs !== undefined ? { nextRetryDelay: error.retryAfterMs } : {}),
      details: [record],
    });
  }
  return ApplicationFailure.create({
    type: error instanceof JunctionError ? error.code : 'internal',
    message: record.message,
    nonRetryable: error instanceof JunctionError && error.status < 500,
    details: [record],
  });
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });

export interface RetryOptions {
  attempts: number;
  /** First back-off; doubles per attempt unless the vendor says how long (Retry-After). */
  baseDelayMs: number;
  maxDelayMs: number;
  signal?: AbortSignal;
}

export type ObjectOutcome<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: ObjectError; attempts: number };

/**
 * Runs one object's vendor calls with in-page retries for transient failures. Fatal errors and transient errors
 * that outlast the retries are thrown (the page activity fails and Temporal retries it or stops the run); any other
 * failure belongs to this object alone and comes back as a quarantine outcome.
 */
export async function withObjectRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<ObjectOutcome<T>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, value: await fn(), attempts: attempt };
    } catch (error) {
      if (isFatal(error)) throw error;
      if (isTransient(error)) {
        if (attempt >= options.attempts) throw error;
        const backoff = Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
        await sleep(Math.min(error.retryAfterMs ?? backoff, options.maxDelayMs), options.signal);
        continue;
      }
      return { ok: false, error: toObjectError(error), attempts: attempt };
    }
  }
}

/** Runs `fn` over items with at most `limit` in flight; results keep the input order. */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
