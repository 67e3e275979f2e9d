import type { SsoDeps } from '../deps.js';
import { AUDIT_COLUMNS, auditValues } from '../audit/record-sso-event.js';
import { SignInRejected } from '../errors.js';
import { linkIdentity, type LinkedPerson } from '../linking/link-identity.js';
import {
  DEFAULT_ABSOLUTE_HOURS,
  hashSessionToken,
  newSessionRef,
  newSessionToken,
  type ActiveSsoSession,
} from '../sessions/sso-sessions.js';
import { heldWrites } from '../db/request-writes.js';
import { one } from '../db/sql.js';
import type { LoadedProvider } from '../upstream/provider-config.js';
import type { UpstreamIdentity } from '../upstream/upstream-identity.js';

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Only an active person signs in; the others are told as much as they need (see REJECTION_MESSAGES). */
export function checkPersonStatus(linked: LinkedPerson): void {
  if (linked.status === 'active') return;
  if (linked.status === 'pending')
    throw new SignInRejected('pending_approval', `person ${linked.personId} is pending`);
  throw new SignInRejected('person_inactive', `person ${linked.personId} has status ${linked.status}`);
}

/** Upstream identity → person: linking, then the status check. Throws SignInRejected; creates no session. */
export async function resolvePerson(
  deps: SsoDeps,
  provider: Pick<LoadedProvider, 'id' | 'tenantId' | 'linkBy' | 'linkClaim'>,
  identity: UpstreamIdentity,
): Promise<LinkedPerson> {
  const linked = await linkIdentity(deps.dataSource, provider, identity);
  checkPersonStatus(linked);
  return linked;
}

/**
 * The last step of every successful sign-in: a fresh session (the browser's previous one, if any, is revoked so a
 * planted session cookie cannot survive a login — session fixation), and an audit row. One statement writes all
 * of it, together with whatever the caller's request holds (request-writes.ts: ending the login transaction, the
 * finished OIDC interaction), so either the whole sign-in is stored or none of it.
 */
export async function startSession(
  deps: SsoDeps,
  linked: LinkedPerson,
  providerId: string,
  amr: string[],
  info: RequestInfo,
  previousToken?: string,
): Promise<{ token: string; session: ActiveSsoSession }> {
  const token = newSessionToken();
  const sessionRef = newSessionRef();
  const params: unknown[] = [
    hashSessionToken(token),
    sessionRef,
    linked.tenantId,
    linked.personId,
    linked.identityId,
    providerId,
    amr,
    DEFAULT_ABSOLUTE_HOURS,
    info.ip?.slice(0, 64) ?? null,
    info.userAgent?.slice(0, 512) ?? null,
    previousToken ? hashSessionToken(previousToken) : null,
    ...auditValues({
      action: 'sso.sign_in',
      outcome: 'success',
      tenantId: linked.tenantId,
      actorType: 'person',
      actorId: linked.personId,
      targetType: 'identity_provider',
      targetId: providerId,
      detail: { amr, session: sessionRef },
      ip: info.ip,
      userAgent: info.userAgent,
    }),
  ];
  const audit = Array.from({ length: 11 }, (_, i) => `$${12 + i}`).join(', ');
  const held = heldWrites();
  const carried = held?.asCtes(params.length + 1) ?? { ctes: [], params: [] };
  try {
    const row = await one<{ created_at: Date; expires_at: Date }>(
      deps.dataSource,
      `WITH fixation AS (
         UPDATE sso_sessions SET revoked_at = now() WHERE token_hash = $11::text AND revoked_at IS NULL),
       session AS (
         INSERT INTO sso_sessions (token_hash, session_ref, tenant_id, person_id, identity_id, provider_id, amr,
                                   last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now(),
                 now() + make_interval(hours => COALESCE(
                   (SELECT (t.settings->>'sessionAbsoluteHours')::int FROM tenants t WHERE t.id = $3), $8)),
                 $9, $10)
         RETURNING created_at, expires_at),
       audit AS (INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES (${audit}))
       ${carried.ctes.map((c) => `, ${c}`).join('\n')}
       SELECT created_at, expires_at FROM session`,
      [...params, ...carried.params],
      `sso-sign-in-${carried.ctes.length}-${carried.ctes.map((c) => c.slice(2, c.indexOf(' '))).join('')}`,
    );
    if (!row) throw new Error('sso: the session insert returned nothing');
    return {
      token,
      session: {
        tokenHash: hashSessionToken(token),
        sessionRef,
        tenantId: linked.tenantId,
        personId: linked.personId,
        identityId: linked.identityId,
        providerId,
        amr,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      },
    };
  } finally {
    // Sent with the session, or failed with it: never on their own.
    if (carried.ctes.length > 0) held?.markFlushed();
  }
}
