import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TenantSettings } from '../../core/entities/tenant.js';
import {
  personAppViewSql,
  toPersonAppView,
  type PersonAppView,
  type ViewRow,
} from '../access/person-app-view.js';
import { one, rows } from '../db/sql.js';

/** Okta's defaults are 2 h idle / 24 h absolute; a workforce gateway errs shorter on the absolute end. */
export const DEFAULT_IDLE_MINUTES = 120;
export const DEFAULT_ABSOLUTE_HOURS = 12;
/** lastSeenAt is written at most this often, so a busy session does not turn every request into a write. */
const TOUCH_AFTER_SECONDS = 60;

export interface ActiveSsoSession {
  tokenHash: string;
  sessionRef: string;
  tenantId: string;
  personId: string;
  identityId: string | null;
  providerId: string | null;
  amr: string[];
  createdAt: Date;
  expiresAt: Date;
}

export interface NewSsoSession {
  tenantId: string;
  personId: string;
  identityId: string | null;
  providerId: string | null;
  amr: string[];
  ip?: string | null;
  userAgent?: string | null;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session's cookie value (256 random bits); only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A session's public reference (audit rows, logout bookkeeping): not the cookie, not derived from it. */
export function newSessionRef(): string {
  return `s_${randomBytes(18).toString('base64url')}`;
}

/** Creates a session and returns the cookie value; only its hash is stored. */
export async function createSsoSession(
  dataSource: DataSource,
  input: NewSsoSession,
): Promise<{ token: string; session: ActiveSsoSession }> {
  const token = newSessionToken();
  const sessionRef = newSessionRef();
  const row = await one<{ created_at: Date; expires_at: Date }>(
    dataSource,
    `INSERT INTO sso_sessions (token_hash, session_ref, tenant_id, person_id, identity_id, provider_id, amr,
                               last_seen_at, expires_at, ip, user_agent)
     SELECT $1, $2, $3, $4, $5, $6, $7, now(),
            now() + make_interval(hours => COALESCE((t.settings->>'sessionAbsoluteHours')::int, $8)),
            $9, $10
       FROM tenants t WHERE t.id = $3
     RETURNING created_at, expires_at`,
    [
      hashSessionToken(token),
      sessionRef,
      input.tenantId,
      input.personId,
      input.identityId,
      input.providerId,
      input.amr,
      DEFAULT_ABSOLUTE_HOURS,
      input.ip?.slice(0, 64) ?? null,
      input.userAgent?.slice(0, 512) ?? null,
    ],
    'sso-session-insert',
  );
  if (!row) throw new Error(`sso: tenant ${input.tenantId} does not exist`);
  return {
    token,
    session: {
      tokenHash: hashSessionToken(token),
      sessionRef,
      tenantId: input.tenantId,
      personId: input.personId,
      identityId: input.identityId,
      providerId: input.providerId,
      amr: input.amr,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    },
  };
}

interface SessionRow {
  token_hash: string;
  session_ref: string;
  tenant_id: string;
  person_id: string | null;
  identity_id: string | null;
  provider_id: string | null;
  amr: string[];
  created_at: Date;
  expires_at: Date;
  idle_seconds: number;
  settings: TenantSettings;
}

/**
 * The live session for a cookie value, or undefined when it is unknown, revoked, past its absolute end or idle
 * too long. A live session's lastSeenAt moves forward (idle timeout is sliding).
 */
export async function findSsoSession(
  dataSource: DataSource,
  token: string | undefined,
): Promise<ActiveSsoSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await one<SessionRow>(
    dataSource,
    `${SESSION_SELECT} ${SESSION_WHERE}`,
    [hashSessionToken(token)],
    'sso-session-find',
  );
  return row ? liveSession(dataSource, row) : undefined;
}

/**
 * findSsoSession, and with it — in the same statement — its person as the application `applicationId` sees them
 * (person-app-view.ts): an authorization request that finds a live session asks for both.
 */
export async function findSsoSessionWithView(
  dataSource: DataSource,
  token: string | undefined,
  applicationId: string,
): Promise<{ session: ActiveSsoSession; view: PersonAppView | undefined } | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await one<SessionRow & { view: ViewRow | null }>(
    dataSource,
    `${SESSION_SELECT},
            (SELECT to_jsonb(v) FROM (${personAppViewSql('s.person_id', '$2::uuid')}) v) AS view
     ${SESSION_WHERE}`,
    [hashSessionToken(token), applicationId],
    'sso-session-find-with-view',
  );
  const session = row ? await liveSession(dataSource, row) : undefined;
  if (!row || !session) return undefined;
  return { session, view: row.view ? toPersonAppView(row.view) : undefined };
}

const SESSION_SELECT = `SELECT s.token_hash, s.session_ref, s.tenant_id, s.person_id, s.identity_id, s.provider_id,
            s.amr, s.created_at, s.expires_at, extract(epoch FROM now() - s.last_seen_at)::float8 AS idle_seconds,
            t.settings`;
const SESSION_WHERE = `FROM sso_sessions s JOIN tenants t ON t.id = s.tenant_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`;

async function liveSession(dataSource: DataSource, row: SessionRow): Promise<ActiveSsoSession | undefined> {
  if (!row.person_id) return undefined;
  const idleLimit = (row.settings.sessionIdleMinutes ?? DEFAULT_IDLE_MINUTES) * 60;
  if (row.idle_seconds > idleLimit) return undefined;
  if (row.idle_seconds > TOUCH_AFTER_SECONDS) {
    await rows(dataSource, `UPDATE sso_sessions SET last_seen_at = now() WHERE token_hash = $1`, [
      row.token_hash,
    ]);
  }
  return {
    tokenHash: row.token_hash,
    sessionRef: row.session_ref,
    tenantId: row.tenant_id,
    personId: row.person_id,
    identityId: row.identity_id,
    providerId: row.provider_id,
    amr: row.amr,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export async function revokeSsoSessionByToken(dataSource: DataSource, token: string): Promise<void> {
  await rows(
    dataSource,
    `UPDATE sso_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashSessionToken(token)],
  );
}

export async function findSsoSessionByRef(
  dataSource: DataSource,
  sessionRef: string,
): Promise<{ tokenHash: string; personId: string | null; revoked: boolean } | undefined> {
  const row = await one<{ token_hash: string; person_id: string | null; revoked: boolean }>(
    dataSource,
    `SELECT token_hash, person_id, (revoked_at IS NOT NULL OR expires_at <= now()) AS revoked
       FROM sso_sessions WHERE session_ref = $1`,
    [sessionRef],
  );
  return row ? { tokenHash: row.token_hash, personId: row.person_id, revoked: row.revoked } : undefined;
}

export async function revokeSsoSessionByRef(dataSource: DataSource, sessionRef: string): Promise<void> {
  await rows(
    dataSource,
    `UPDATE sso_sessions SET revoked_at = now() WHERE session_ref = $1 AND revoked_at IS NULL`,
    [sessionRef],
  );
}
