import type { JWK } from 'jose';
import { recordSsoEvent } from '../audit/record-sso-event.js';
import { rows, transaction } from '../db/sql.js';
import type { SsoDeps } from '../deps.js';
import { loadKeyMaterial } from '../provider/keys/signing-keys.js';
import { issuerOf } from '../provider/oidc/create-oidc-provider.js';
import { deliverLogoutToken, signLogoutToken } from '../provider/oidc/logout-token.js';

export interface EndedSessions {
  /** Gateway sessions revoked. */
  ssoSessions: number;
  /** oidc-provider rows removed: sessions, grants, codes, access and refresh tokens. */
  oidcRows: number;
  /** Back-channel logout tokens delivered / failed (apps that registered a backchannel_logout_uri). */
  backchannelDelivered: number;
  backchannelFailed: { clientId: string; error: string }[];
}

interface SessionPayload {
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

/**
 * Ends everything a person is signed in to: the gateway's SSO sessions, oidc-provider's sessions, grants,
 * authorization codes, access and refresh tokens (so refresh stops at once), and tells every app that registered a
 * back-channel logout URI (OIDC Back-Channel Logout 1.0). The revocations commit first; notifications are best
 * effort afterwards and their failures are reported and audited, not thrown.
 *
 * For the leaver path (HR marks a person gone) and the admin "revoke sessions" action. It needs only the database,
 * the vault and the public URL — no running oidc-provider — so a Temporal worker can call it.
 *
 * Not covered: SAML service providers keep their own sessions (SAML has no back-channel logout Junction could
 * send without SOAP); they cannot get a new assertion from Junction.
 */
export async function endSessionsForPerson(
  deps: SsoDeps,
  personId: string,
  options: { reason?: string; actor?: { type: 'system' | 'admin'; id?: string } } = {},
): Promise<EndedSessions> {
  const { sessions, ssoSessions, oidcRows, tenantId } = await transaction(deps.dataSource, async (client) => {
    const oidcSessions = await rows<{ payload: SessionPayload }>(
      client,
      `SELECT payload FROM oidc_payloads WHERE model = 'Session' AND account_id = $1`,
      [personId],
    );
    const grantIds = (
      await rows<{ id: string }>(
        client,
        `SELECT id FROM oidc_payloads WHERE model = 'Grant' AND account_id = $1`,
        [personId],
      )
    ).map((g) => g.id);
    const removed = await rows(
      client,
      `DELETE FROM oidc_payloads WHERE account_id = $1 OR grant_id = ANY($2::varchar[]) RETURNING 1`,
      [personId, grantIds],
    );
    const revoked = await rows<{ tenant_id: string }>(
      client,
      `UPDATE sso_sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL RETURNING tenant_id`,
      [personId],
    );
    const person = await rows<{ tenant_id: string }>(client, `SELECT tenant_id FROM people WHERE id = $1`, [
      personId,
    ]);
    return {
      sessions: oidcSessions,
      ssoSessions: revoked.length,
      oidcRows: removed.length,
      tenantId: person[0]?.tenant_id ?? null,
    };
  });

  const notifications = sessions.flatMap((s) =>
    Object.entries(s.payload.authorizations ?? {}).map(([clientId, authorization]) => ({
      clientId,
      sid: authorization.sid,
    })),
  );
  const delivered = await notifyApps(deps, personId, notifications);

  await recordSsoEvent(deps.dataSource, {
    action: 'sso.sessions_revoked',
    outcome: delivered.failed.length ? 'failure' : 'success',
    tenantId,
    actorType: options.actor?.type ?? 'system',
    actorId: options.actor?.id ?? null,
    targetType: 'person',
    targetId: personId,
    reason: options.reason ?? null,
    detail: {
      ssoSessions,
      oidcRows,
      backchannelDelivered: delivered.ok,
      backchannelFailed: delivered.failed,
    },
  });
  return { ssoSessions, oidcRows, backchannelDelivered: delivered.ok, backchannelFailed: delivered.failed };
}

export async function notifyApps(
  deps: SsoDeps,
  personId: string,
  notifications: { clientId: string; sid: string | undefined }[],
): Promise<{ ok: number; failed: { clientId: string; error: string }[] }> {
  if (notifications.length === 0) return { ok: 0, failed: [] };
  const clientIds = [...new Set(notifications.map((n) => n.clientId))];
  const targets = new Map(
    (
      await rows<{ client_id: string; uri: string | null }>(
        deps.dataSource,
        `SELECT client_id, oidc->>'backchannelLogoutUri' AS uri FROM applications
          WHERE client_id = ANY($1) AND protocol = 'oidc'`,
        [clientIds],
      )
    ).flatMap((a) => (a.uri ? [[a.client_id, a.uri] as const] : [])),
  );
  if (targets.size === 0) return { ok: 0, failed: [] };
  const keys = await loadKeyMaterial(deps.dataSource, deps.vault);
  // The active RS256 key: what relying parties verify ID tokens with by default (OIDC Core §15.1).
  const key = keys.oidcJwks.keys.find((k: JWK) => k.alg === 'RS256') ?? keys.oidcJwks.keys[0];
  if (!key) throw new Error('sso: no OIDC signing key');
  const issuer = issuerOf(deps.publicUrl);
  const results = await Promise.allSettled(
    notifications.flatMap(({ clientId, sid }) => {
      const uri = targets.get(clientId);
      if (!uri) return [];
      return [
        signLogoutToken(key, { issuer, clientId, sub: personId, sid })
          .then((token) => deliverLogoutToken(uri, token))
          .then(
            () => ({ clientId, error: undefined }),
            (error: unknown) => ({ clientId, error: error instanceof Error ? error.message : String(error) }),
          ),
      ];
    }),
  );
  const failed: { clientId: string; error: string }[] = [];
  let ok = 0;
  for (const result of results) {
    if (result.status === 'fulfilled' && result.value.error === undefined) ok += 1;
    else if (result.status === 'fulfilled')
      failed.push({ clientId: result.value.clientId, error: result.value.error ?? '' });
  }
  for (const f of failed)
    deps.log.warn({ clientId: f.clientId, personId, error: f.error }, 'back-channel logout failed');
  return { ok, failed };
}

/**
 * Ends one gateway session (SAML single logout, or an admin ending a single sign-in): the session row, the
 * oidc-provider sessions it started with their grants and tokens, and a back-channel logout to those apps.
 * The person's other sessions (other browsers, devices) are left alone.
 */
export async function endSsoSession(
  deps: SsoDeps,
  sessionRef: string,
  oidcSessionIds: readonly string[],
  options: { reason?: string; actor?: { type: 'system' | 'admin' | 'person'; id?: string } } = {},
): Promise<EndedSessions> {
  const { personId, tenantId, sessions, ssoSessions, oidcRows } = await transaction(
    deps.dataSource,
    async (client) => {
      const revoked = await rows<{ person_id: string | null; tenant_id: string }>(
        client,
        `UPDATE sso_sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE session_ref = $1 RETURNING person_id, tenant_id`,
        [sessionRef],
      );
      const oidcSessions = await rows<{ payload: SessionPayload }>(
        client,
        `DELETE FROM oidc_payloads WHERE model = 'Session' AND id = ANY($1::varchar[]) RETURNING payload`,
        [[...oidcSessionIds]],
      );
      const grantIds = oidcSessions.flatMap((s) =>
        Object.values(s.payload.authorizations ?? {}).flatMap((a) => (a.grantId ? [a.grantId] : [])),
      );
      const removed = await rows(
        client,
        `DELETE FROM oidc_payloads WHERE grant_id = ANY($1::varchar[]) RETURNING 1`,
        [grantIds],
      );
      return {
        personId: revoked[0]?.person_id ?? null,
        tenantId: revoked[0]?.tenant_id ?? null,
        sessions: oidcSessions,
        ssoSessions: revoked.length,
        oidcRows: removed.length + oidcSessions.length,
      };
    },
  );
  const notifications = sessions.flatMap((s) =>
    Object.entries(s.payload.authorizations ?? {}).map(([clientId, authorization]) => ({
      clientId,
      sid: authorization.sid,
    })),
  );
  const delivered = personId ? await notifyApps(deps, personId, notifications) : { ok: 0, failed: [] };
  await recordSsoEvent(deps.dataSource, {
    action: 'sso.logout',
    outcome: delivered.failed.length ? 'failure' : 'success',
    tenantId,
    actorType: options.actor?.type ?? 'person',
    actorId: options.actor?.id ?? personId,
    targetType: 'session',
    targetId: sessionRef,
    reason: options.reason ?? null,
    detail: { oidcRows, backchannelDelivered: delivered.ok, backchannelFailed: delivered.failed },
  });
  return { ssoSessions, oidcRows, backchannelDelivered: delivered.ok, backchannelFailed: delivered.failed };
}
