import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ExpiringEntry } from '../../../core/entities/index.js';

/**
 * The console's own session, created after the admin signs in through Junction's SSO. The cookie holds a random
 * token; the row (in the shared expiring-entries table, so every gateway replica sees it and housekeeping prunes it)
 * is keyed by the token's SHA-256. `csrf` must come back in a header on every state-changing API call the console
 * makes with the cookie.
 */
export const CONSOLE_COOKIE = 'junction_console';
export const CSRF_HEADER = 'x-junction-csrf';
const NAMESPACE = 'console-session';
/** Absolute lifetime; the admin signs in again through SSO after it. */
const SESSION_HOURS = 8;

export interface ConsoleSession {
  personId: string;
  email: string | null;
  name: string;
  csrf: string;
  /** The id_token, kept to end the SSO session on sign-out (RP-initiated logout). */
  idToken: string | null;
}

export async function createConsoleSession(
  manager: EntityManager,
  session: Omit<ConsoleSession, 'csrf'>,
): Promise<{ token: string; csrf: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  const repo = manager.getRepository(ExpiringEntry);
  await repo.save(
    repo.create({
      namespace: NAMESPACE,
      key: sessionKey(token),
      value: { ...session, csrf } as unknown as Record<string, unknown>,
      expiresAt,
    }),
  );
  return { token, csrf, expiresAt };
}

export async function readConsoleSession(
  manager: EntityManager,
  token: string,
): Promise<ConsoleSession | undefined> {
  const row = await manager
    .getRepository(ExpiringEntry)
    .findOne({ where: { namespace: NAMESPACE, key: sessionKey(token) } });
  if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
  return row.value as unknown as ConsoleSession;
}

export async function endConsoleSession(manager: EntityManager, token: string): Promise<void> {
  await manager.getRepository(ExpiringEntry).delete({ namespace: NAMESPACE, key: sessionKey(token) });
}

export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header (RFC 6265 §5.4) without a parser dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

function sessionKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
