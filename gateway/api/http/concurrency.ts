import type { Request } from 'express';
import { StaleVersionError } from '../../../core/errors.js';
import { problems } from './problem.js';

/**
 * Optimistic concurrency (RFC 9110 §8.8.3 ETag, §13.1.1 If-Match) on the `version` column every configurable
 * object has. If-Match is optional (automation may choose last-writer-wins); when sent and stale, 412.
 */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function assertIfMatch(req: Request, currentVersion: number): void {
  const header = req.header('if-match');
  if (header === undefined || header.trim() === '*') return;
  const presented = header
    .split(',')
    .map((part) => part.trim().replace(/^W\//, ''))
    .filter((part) => part !== '');
  if (!presented.includes(etagOf(currentVersion))) throw problems.preconditionFailed(etagOf(currentVersion));
}

/**
 * Checks If-Match like `assertIfMatch` and returns the version the write must still find (undefined when the
 * client sent no If-Match). Handlers whose write happens outside the read's transaction pass it on, so the write
 * itself is conditional: a change between this check and the write is refused, not overwritten.
 */
export function ifMatchVersion(req: Request, currentVersion: number): number | undefined {
  assertIfMatch(req, currentVersion);
  const header = req.header('if-match');
  return header === undefined || header.trim() === '*' ? undefined : currentVersion;
}

/** Runs a conditional write; losing the race answers 412 with the object's current ETag. */
export async function refuseStale<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleVersionError) throw problems.preconditionFailed(etagOf(error.currentVersion));
    throw error;
  }
}
