import { Router, urlencoded, type Request, type Response } from 'express';
import { loadPersonAppView } from '../../../sso/access/person-app-view.js';
import { recordSsoEvent } from '../../../sso/audit/record-sso-event.js';
import { createLoginTransaction } from '../../../sso/login/login-transaction.js';

import { STATUS } from '../../../sso/provider/saml/saml-constants.js';
import {
  decodePost,
  decodeRedirect,
  type ReceivedMessage,
} from '../../../sso/provider/saml/xml/received-message.js';
import { SamlMessageRejected } from '../../../sso/provider/saml/xml/safe-xml.js';
import { endSsoSession } from '../../../sso/sessions/end-sessions-for-person.js';
import { linkedOidcSessions } from '../../../sso/sessions/oidc-session-links.js';
import { clearCookie } from '../http/cookies.js';
import { requestInfo } from '../http/request-info.js';
import {
  autoPostPage,
  expiredSignInPage,
  messagePage,
  noAccessPage,
  signedOutPage,
  unknownAppPage,
} from '../pages/sign-in-pages.js';
import { SSO_SESSION_COOKIE } from '../../../sso/provider/oidc/cookie-names.js';
import { handle, type RouteContext } from './route-context.js';

const form = urlencoded({ extended: false, limit: '512kb', parameterLimit: 10 });

/**
 * Junction's SAML 2.0 IdP: metadata, the SSO endpoint (HTTP-Redirect and HTTP-POST bindings), IdP-initiated
 * sign-in from the launcher, and single logout. A request that fails a check gets an error page and an audit row —
 * never a response to an ACS URL that was not verified.
 */
export function samlIdpRoutes(ctx: RouteContext): Router {
  const router = Router();
  const idp = ctx.runtime.samlIdp;

  router.get('/saml/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(idp.metadata());
  });

  const receive = (read: (req: Request) => ReceivedMessage) =>
    handle(async (req, res) => {
      try {
        const key = await idp.receiveAuthnRequest(read(req));
        // A GET on our own origin carries the SameSite=Lax session cookie even when the request arrived by a
        // cross-site POST.
        res.redirect(303, `/saml/continue/${key}`);
      } catch (error) {
        await refuse(ctx, req, res, error);
      }
    });
  router.get(
    '/saml/sso',
    receive((req) => decodeRedirect(rawQuery(req), 'SAMLRequest')),
  );
  router.post(
    '/saml/sso',
    form,
    receive((req) => decodePost(req.body as Record<string, unknown>, 'SAMLRequest')),
  );

  router.get(
    '/saml/idp/:applicationId',
    handle(async (req, res) => {
      try {
        const relayState = typeof req.query.RelayState === 'string' ? req.query.RelayState : undefined;
        const key = await idp.startIdpInitiated(String(req.params.applicationId), relayState);
        res.redirect(303, `/saml/continue/${key}`);
      } catch (error) {
        await refuse(ctx, req, res, error);
      }
    }),
  );

  router.get(
    '/saml/continue/:key',
    handle(async (req, res) => {
      const key = String(req.params.key);
      const nonce = ctx.nonce(res);
      const pending = await idp.pending(key);
      if (!pending) {
        res.status(400).type('html').send(expiredSignInPage({ nonce }));
        return;
      }
      const sp = await idp.serviceProvider(pending.applicationId);
      if (!sp) {
        res.status(400).type('html').send(unknownAppPage({ nonce }));
        return;
      }
      const session = await ctx.session(req);
      const fresh =
        session && (!pending.forceAuthn || (await ctx.freshFor({ kind: 'saml', requestKey: key }, session)));
      const person = fresh
        ? await loadPersonAppView(ctx.deps.dataSource, session.personId, sp.id)
        : undefined;
      if (!session || !fresh || person?.status !== 'active') {
        if (pending.isPassive) {
          // Core §3.4.1: IsPassive forbids interaction; answer NoPassive instead of showing a login page.
          const answer = await idp.respondWithError(key, pending, STATUS.noPassive);
          res.type('html').send(autoPost(res, ctx, answer.acsUrl, answer.samlResponse, answer.relayState));
          return;
        }
        const tx = await createLoginTransaction(ctx.runtime.store, ctx.browserToken(req, res), {
          resume: { kind: 'saml', requestKey: key },
          applicationId: sp.id,
          loginHint: null,
          notBefore: pending.forceAuthn ? pending.receivedAt : null,
        });
        res.redirect(303, `/sso/login/${tx.id}`);
        return;
      }
      const info = requestInfo(req);
      if (!person.hasAccess) {
        await recordSsoEvent(ctx.deps.dataSource, {
          action: 'sso.app_access',
          outcome: 'denied',
          tenantId: person.tenantId,
          actorId: person.id,
          targetType: 'application',
          targetId: sp.id,
          reason: `no app_access entitlement for ${sp.slug} (SAML SP ${sp.clientId})`,
          ip: info.ip,
          userAgent: info.userAgent,
        });
        res
          .status(403)
          .type('html')
          .send(noAccessPage({ nonce, appName: sp.name }));
        return;
      }
      try {
        const issued = await idp.respond(key, pending, sp, session, person, info);
        res.type('html').send(autoPost(res, ctx, issued.acsUrl, issued.samlResponse, issued.relayState));
      } catch (error) {
        await refuse(ctx, req, res, error);
      }
    }),
  );

  // Single logout (profiles §4.4): a LogoutRequest from an SP ends the gateway session and everything it started,
  // then the other SAML SPs of the session are asked in turn; a LogoutResponse continues that round.
  const logout = (read: (req: Request) => ReceivedMessage) =>
    handle(async (req, res) => {
      try {
        const message = read(req);
        if (/^<(\w+:)?LogoutResponse\b/.test(message.xml.replace(/^<\?xml[^>]*>\s*/, ''))) {
          const next = await idp.continueSingleLogout(message);
          if (next) res.redirect(303, next);
          else res.type('html').send(signedOutPage({ nonce: ctx.nonce(res) }));
          return;
        }
        const request = await idp.receiveLogoutRequest(message);
        const sessionRef = request.participant.sessionRef;
        await endSsoSession(ctx.deps, sessionRef, await linkedOidcSessions(ctx.runtime.store, sessionRef), {
          reason: `SAML single logout from ${request.sp.clientId}`,
        });
        const current = await ctx.session(req);
        if (!current || current.sessionRef === sessionRef) clearCookie(res, SSO_SESSION_COOKIE, ctx.secure);
        const next = await idp.beginSingleLogout(sessionRef, request);
        if (next) res.redirect(303, next);
        else res.type('html').send(signedOutPage({ nonce: ctx.nonce(res) }));
      } catch (error) {
        await refuse(ctx, req, res, error, 'sso.logout');
      }
    });
  const sloMessage = (req: Request): ReceivedMessage => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const param =
      'SAMLResponse' in req.query || body.SAMLResponse !== undefined ? 'SAMLResponse' : 'SAMLRequest';
    return req.method === 'GET' ? decodeRedirect(rawQuery(req), param) : decodePost(body, param);
  };
  router.get('/saml/slo', logout(sloMessage));
  router.post('/saml/slo', form, logout(sloMessage));

  return router;
}

function autoPost(
  res: Response,
  ctx: RouteContext,
  acsUrl: string,
  samlResponse: string,
  relayState: string | undefined,
): string {
  return autoPostPage({
    nonce: ctx.nonce(res),
    action: acsUrl,
    fields: { SAMLResponse: samlResponse, ...(relayState !== undefined ? { RelayState: relayState } : {}) },
  });
}

/** The raw (still URL-encoded) query: redirect-binding signatures are over the octets as sent. */
function rawQuery(req: Request): string {
  const i = req.originalUrl.indexOf('?');
  return i < 0 ? '' : req.originalUrl.slice(i + 1);
}

async function refuse(
  ctx: RouteContext,
  req: Request,
  res: Response,
  error: unknown,
  action: 'sso.saml_request' | 'sso.logout' = 'sso.saml_request',
): Promise<void> {
  if (!(error instanceof SamlMessageRejected)) throw error;
  const info = requestInfo(req);
  await recordSsoEvent(ctx.deps.dataSource, {
    action,
    outcome: 'failure',
    reason: error.message,
    ip: info.ip,
    userAgent: info.userAgent,
  });
  res
    .status(400)
    .type('html')
    .send(
      messagePage({
        nonce: ctx.nonce(res),
        title: 'This sign-in request cannot be completed',
        message:
          'The app sent a sign-in request Junction cannot accept. Go back to the app and try again; if it keeps happening, tell the app’s admin.',
      }),
    );
}
