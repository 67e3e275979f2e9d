import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import type { GatewayDeps } from '../deps.js';
import type { ScimCaller } from './scim-auth.js';
import { scimErrors } from './scim-error.js';

/** What the SCIM handlers need; `onPeopleChanged` starts provisioning so a SCIM change reaches the targets. */
export interface ScimDeps extends GatewayDeps {
  onPeopleChanged?: (personIds: string[], caller: ScimCaller) => Promise<void>;
}

export interface ScimRequest {
  req: Request;
  res: Response;
  deps: ScimDeps;
  caller: ScimCaller;
  baseUrl: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 7644 §3.14: If-Match with the resource's version, weak tags compared by value. */
export function checkIfMatch(req: Request, version: number): void {
  const header = req.header('if-match');
  if (header === undefined || header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(`"${version}"`)) throw scimErrors.preconditionFailed();
}

/** Serialises writes that compete for one unique key (a userName, a group name) within a transaction. */
export async function lockKey(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

export function paging(
  query: Record<string, unknown>,
  maxPage: number,
): { startIndex: number; count: number } {
  // RFC 7644 §3.4.2.4: startIndex < 1 is read as 1, a negative count as 0.
  const start = Number.parseInt(String(query.startIndex ?? '1'), 10);
  const count = Number.parseInt(String(query.count ?? '100'), 10);
  return {
    startIndex: Number.isFinite(start) && start >= 1 ? Math.min(start, 10_000_000) : 1,
    count: Number.isFinite(count) ? Math.max(0, Math.min(count, maxPage)) : 100,
  };
}

export function sendResource(
  res: Response,
  status: number,
  resource: Record<string, unknown>,
  version: number,
  location?: string,
): void {
  res.status(status).type('application/scim+json').setHeader('ETag', `W/"${version}"`);
  if (location) res.setHeader('Location', location);
  res.json(resource);
}
