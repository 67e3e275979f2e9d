import type { Request } from 'express';
import { IsNull, type EntityManager } from 'typeorm';
import { AdminGrant, ApiToken, Person } from '../../../core/entities/index.js';
import { problems } from '../http/problem.js';
import {
  CONSOLE_COOKIE,
  CSRF_HEADER,
  csrfMatches,
  readConsoleSession,
  readCookie,
} from './console-session.js';
import { Principal } from './principal.js';
import { TenantTree } from './tenant-tree.js';
import { bearerToken, hashToken, tokenKind } from './token-secret.js';

/** How often `lastUsedAt` is written: a busy automation token must not turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller: an admin API token (`Authorization: Bearer jat_…`), or the console's session cookie (which
 * also needs the CSRF header on state-changing requests). Grants are read fresh on every request, so revoking a
 * grant or a token takes effect at once.
 */
export async function authenticate(req: Request, manager: EntityManager): Promise<Principal> {
  const header = req.headers.authorization;
  if (header !== undefined) return authenticateToken(header, manager);
  const cookie = readCookie(req.headers.cookie, CONSOLE_COOKIE);
  if (cookie !== undefined) return authenticateConsole(req, cookie, manager);
  throw problems.unauthenticated();
}

async function authenticateToken(header: string, manager: EntityManager): Promise<Principal> {
  const token = bearerToken(header);
  if (!token || tokenKind(token) !== 'admin') {
    throw problems.unauthenticated('The bearer token is not a Junction admin API token');
  }
  const repo = manager.getRepository(ApiToken);
  const row = await repo.findOne({
    where: { tokenHash: hashToken(token), kind: 'admin', revokedAt: IsNull() },
  });
  if (!row || row.role === null) throw problems.unauthenticated('The API token is unknown or revoked');
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw problems.unauthenticated('The API token has expired');
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await repo.update({ id: row.id }, { lastUsedAt: new Date(), version: () => 'version' });
  }
  const tree = await TenantTree.load(manager);
  return new Principal(
    { type: 'api_token', id: row.id, label: `token ${row.name} (${row.prefix}…)` },
    [{ tenantId: row.tenantId, role: row.role }],
    tree,
    row.scopes,
  );
}

async function authenticateConsole(req: Request, cookie: string, manager: EntityManager): Promise<Principal> {
  const session = await readConsoleSession(manager, cookie);
  if (!session) throw problems.unauthenticated('Your console session has ended: sign in again');
  if (!SAFE_METHODS.has(req.method) && !csrfMatches(session.csrf, req.header(CSRF_HEADER))) {
    throw problems.forbidden('The console request is missing its CSRF token: reload the page');
  }
  const person = await manager.getRepository(Person).findOne({ where: { id: session.personId } });
  if (!person || person.status === 'leaver') {
    throw problems.unauthenticated('Your console session has ended: sign in again');
  }
  const grants = await manager.getRepository(AdminGrant).find({ where: { personId: person.id } });
  if (grants.length === 0) throw problems.forbidden('You hold no admin role in Junction');
  const tree = await TenantTree.load(manager);
  return new Principal(
    { type: 'admin', id: person.id, label: person.email ?? person.displayName },
    grants.map((grant) => ({ tenantId: grant.tenantId, role: grant.role })),
    tree,
  );
}
