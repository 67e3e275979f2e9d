import { json, Router, type Request, type Response } from 'express';
import { one } from '../../../sso/db/sql.js';
import { SignInRejected } from '../../../sso/errors.js';
import { checkCsrf } from '../../../sso/login/csrf.js';
import { loadProvider } from '../../../sso/upstream/provider-config.js';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../../../sso/upstream/password/totp.js';
import { handle, type RouteContext } from './route-context.js';

const CSRF_SCOPE = 'account';

/**
 * A signed-in person's own second factors (password identities only): TOTP and security keys. JSON endpoints for
 * the account page's script; each needs the session cookie, `content-type: application/json` (so a cross-site form
 * cannot send it) and the `x-junction-csrf` header from GET /sso/account/csrf.
 */
export function accountRoutes(ctx: RouteContext): Router {
  const router = Router();
  const body = json({ limit: '64kb' });

  router.get(
    '/sso/account/csrf',
    handle(async (req, res) => {
      if (!(await ctx.session(req))) {
        res.status(401).json({ code: 'not_signed_in' });
        return;
      }
      res.json({ csrf: ctx.csrf(ctx.browserToken(req, res), CSRF_SCOPE) });
    }),
  );

  const withIdentity = (
    fn: (req: Request, res: Response, who: Awaited<ReturnType<typeof passwordIdentity>>) => Promise<void>,
  ) =>
    handle(async (req, res) => {
      try {
        if (!req.is('application/json')) throw new SignInRejected('csrf', 'account changes must be JSON');
        checkCsrf(
          ctx.runtime.keys.cookieSecrets,
          ctx.existingBrowserToken(req),
          CSRF_SCOPE,
          req.get('x-junction-csrf'),
        );
        await fn(req, res, await passwordIdentity(ctx, req));
      } catch (error) {
        if (!(error instanceof SignInRejected)) throw error;
        res.status(error.status).json({ code: error.code, message: error.publicMessage });
      }
    });

  router.post(
    '/sso/account/totp',
    body,
    withIdentity(async (_req, res, who) => {
      res.json(await beginTotpEnrolment(ctx.deps, who.identityId, who.login));
    }),
  );
  router.post(
    '/sso/account/totp/confirm',
    body,
    withIdentity(async (req, res, who) => {
      await confirmTotpEnrolment(
        ctx.deps,
        who.identityId,
        String((req.body as { code?: unknown }).code ?? ''),
      );
      res.status(204).end();
    }),
  );
  router.post(
    '/sso/account/webauthn/options',
    body,
    withIdentity(async (_req, res, who) => {
      res.json(await ctx.runtime.webauthn.registrationOptions(who.provider, who.identityId, who.login));
    }),
  );
  router.post(
    '/sso/account/webauthn',
    body,
    withIdentity(async (req, res, who) => {
      const { response, label } = req.body as { response?: unknown; label?: unknown };
      const id = await ctx.runtime.webauthn.verifyRegistration(
        who.provider,
        who.identityId,
        response,
        typeof label === 'string' ? label.slice(0, 200) : null,
      );
      res.status(201).json({ credentialId: id });
    }),
  );
  return router;
}

async function passwordIdentity(ctx: RouteContext, req: Request) {
  const session = await ctx.session(req);
  if (!session?.identityId || !session.providerId)
    throw new SignInRejected('invalid_request', 'not signed in');
  const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, session.providerId);
  if (provider?.kind !== 'password')
    throw new SignInRejected('invalid_request', 'second factors exist only for Junction passwords');
  const identity = await one<{ subject: string }>(
    ctx.deps.dataSource,
    `SELECT subject FROM identities WHERE id = $1`,
    [session.identityId],
  );
  if (!identity) throw new SignInRejected('invalid_request', 'identity gone');
  return { identityId: session.identityId, login: identity.subject, provider };
}
