import { Router } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { recordSsoEvent } from '../../../sso/audit/record-sso-event.js';
import { SSO_SESSION_COOKIE } from '../../../sso/provider/oidc/cookie-names.js';
import { linkedOidcSessions, linkOidcSession } from '../../../sso/sessions/oidc-session-links.js';
import { findSsoSession, revokeSsoSessionByToken } from '../../../sso/sessions/sso-sessions.js';
import type { SsoRuntime } from '../../../sso/sso-runtime.js';
import { handle } from './route-context.js';

/**
 * Signing out of Junction goes through oidc-provider's end-session endpoint (OIDC RP-Initiated Logout 1.0), which
 * asks for confirmation, ends its session and sends back-channel logout tokens to every app in it; the post-hook
 * below then ends the gateway's own session.
 */
export function logoutRoutes(): Router {
  const router = Router();
  router.get(
    '/sso/logout',
    handle(async (_req, res) => {
      res.redirect(303, '/oidc/session/end');
    }),
  );
  return router;
}

/**
 * oidc-provider post-middleware:
 * - after an authorization resumes with a person, remember which oidc-provider session the gateway session
 *   started (single logout and single-session revocation end it too);
 * - after a confirmed end-session, revoke the gateway session, drop its cookie, and walk the browser through the
 *   SAML SPs of the session (front-channel single logout) before going where oidc-provider was sending it.
 */
export async function afterOidcRequest(ctx: KoaContextWithOIDC, runtime: SsoRuntime): Promise<void> {
  if (ctx.oidc?.route === 'resume' && ctx.oidc.session?.accountId) {
    const session = await runtime.ssoSessionOf(ctx);
    if (session) {
      const ttl = Math.ceil((session.expiresAt.getTime() - Date.now()) / 1000);
      await linkOidcSession(runtime.store, session.sessionRef, ctx.oidc.session.jti, ttl);
    }
    return;
  }
  if (ctx.oidc?.route !== 'end_session_confirm' || ctx.status !== 303) return;
  const params = ctx.oidc.params as { logout?: string } | undefined;
  if (!params?.logout) return;
  const token = ctx.cookies.get(SSO_SESSION_COOKIE, { signed: false });
  if (!token) return;
  const session = await findSsoSession(runtime.deps.dataSource, token);
  await revokeSsoSessionByToken(runtime.deps.dataSource, token);
  ctx.cookies.set(SSO_SESSION_COOKIE, null, { signed: false, path: '/', httpOnly: true, sameSite: 'lax' });
  if (!session) return;
  await linkedOidcSessions(runtime.store, session.sessionRef);
  await recordSsoEvent(runtime.deps.dataSource, {
    action: 'sso.logout',
    outcome: 'success',
    tenantId: session.tenantId,
    actorId: session.personId,
    targetType: 'session',
    targetId: session.sessionRef,
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || null,
  });
  const destination = ctx.response.get('location');
  const next = await runtime.samlIdp.beginSingleLogout(session.sessionRef, undefined, destination);
  if (next && next !== destination) ctx.redirect(next);
}
