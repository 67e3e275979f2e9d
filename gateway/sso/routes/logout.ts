import { Router } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { recordSsoEvent } from '../../../sso/audit/record-sso-event.js';
import { SSO_SESSION_COOKIE } from '../../../sso/provider/oidc/cookie-names.js';
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

/** oidc-provider post-middleware: after a confirmed end-session, revoke the gateway session and drop its cookie. */
export async function endGatewaySessionAfterLogout(
  ctx: KoaContextWithOIDC,
  runtime: SsoRuntime,
): Promise<void> {
  if (ctx.oidc?.route !== 'end_session_confirm' || ctx.status !== 303) return;
  const params = ctx.oidc.params as { logout?: string } | undefined;
  if (!params?.logout) return;
  const token = ctx.cookies.get(SSO_SESSION_COOKIE, { signed: false });
  if (!token) return;
  const session = await findSsoSession(runtime.deps.dataSource, token);
  await revokeSsoSessionByToken(runtime.deps.dataSource, token);
  ctx.cookies.set(SSO_SESSION_COOKIE, null, { signed: false, path: '/', httpOnly: true, sameSite: 'lax' });
  if (session) {
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
  }
}
