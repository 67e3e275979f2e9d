import type { Request } from 'express';
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
