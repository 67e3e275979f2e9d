import { Router } from 'express';
import type { Interaction, InteractionResults } from 'oidc-provider';
import { recordSsoEvent } from '../../../sso/audit/record-sso-event.js';
import { loadPersonAppView } from '../../../sso/access/person-app-view.js';
import { newLoginTransaction, saveLoginTransaction } from '../../../sso/login/login-transaction.js';
import { discover } from './login.js';
import { requestInfo } from '../http/request-info.js';
import { expiredSignInPage, noAccessPage, unknownAppPage } from '../pages/sign-in-pages.js';
import { handle, type RouteContext } from './route-context.js';

/**
 * oidc-provider sends the browser here whenever an authorization request needs a person (its `interactions.url`).
 * With a live gateway session for the same browser: check the app is granted (else the "no access" page, audited)
 * and finish the interaction with that person. Without one: start a login transaction and go to sign-in, which
 * comes back here when done.
 */
export function interactionRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.get(
    '/sso/interaction/:uid',
    handle(async (req, res) => {
      const { runtime } = ctx;
      const nonce = ctx.nonce(res);
      const interaction = await runtime.oidc.Interaction.find(String(req.params.uid));
      if (!interaction) {
        res.status(400).type('html').send(expiredSignInPage({ nonce }));
        return;
      }
      const clientId = String(interaction.params.client_id ?? '');
      const app = await runtime.applications.byClientId(clientId);
      if (!app?.enabled) {
        res.status(400).type('html').send(unknownAppPage({ nonce }));
        return;
      }
      const browser = ctx.browserToken(req, res);
      const session = await ctx.session(req);
      const reasons = interaction.prompt.reasons;
      // prompt=login / max_age (OIDC Core §3.1.2.1): only a sign-in made after this request began will do.
      const needsFreshLogin = reasons.includes('login_prompt') || reasons.includes('max_age');
      const startedAt = interaction.iat * 1000;
      const usable =
        session &&
        (!needsFreshLogin || (await ctx.freshFor({ kind: 'oidc', uid: interaction.uid }, session)));

      if (usable) {
        const view = await loadPersonAppView(runtime.deps.dataSource, session.personId, app.id);
        if (view?.status === 'active') {
          if (!view.hasAccess) {
            const info = requestInfo(req);
            await recordSsoEvent(runtime.deps.dataSource, {
              action: 'sso.app_access',
              outcome: 'denied',
              tenantId: view.tenantId,
              actorId: view.id,
              targetType: 'application',
              targetId: app.id,
              reason: `no app_access entitlement for ${app.slug} (OIDC client ${app.clientId})`,
              ip: info.ip,
              userAgent: info.userAgent,
            });
            res
              .status(403)
              .type('html')
              .send(noAccessPage({ nonce, appName: app.name }));
            return;
          }
          const result: InteractionResults =
            interaction.prompt.name === 'consent'
              ? { consent: { grantId: await grantAll(runtime, interaction, session.personId, clientId) } }
              : {
                  login: {
                    accountId: session.personId,
                    amr: session.amr,
                    ts: Math.floor(session.createdAt.getTime() / 1000),
                    remember: true,
                  },
                };
          await runtime.oidc.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
          return;
        }
      }

      const tx = newLoginTransaction(browser, {
        resume: { kind: 'oidc', uid: interaction.uid },
        applicationId: app.id,
        loginHint: typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : null,
        notBefore: needsFreshLogin ? startedAt : null,
      });
      if (tx.loginHint) {
        // The app named the person (OIDC Core §3.1.2.1 login_hint): discover their home realm right away rather
        // than after a redirect to the sign-in page (which would do the same, once).
        tx.hintTried = true;
        await discover(ctx, req, res, tx, tx.loginHint);
        return;
      }
      await saveLoginTransaction(runtime.store, tx);
      res.redirect(303, `/sso/login/${tx.id}`);
    }),
  );

  return router;
}

/** First-party apps: the grant covers every scope and claim the app asked for (it registered what it may ask). */
async function grantAll(
  runtime: RouteContext['runtime'],
  interaction: Interaction,
  accountId: string,
  clientId: string,
): Promise<string> {
  const { Grant } = runtime.oidc;
  const grant =
    (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ??
    new Grant({ accountId, clientId });
  const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const scope = [String(interaction.params.scope ?? ''), ...(details.missingOIDCScope ?? [])]
    .join(' ')
    .trim();
  if (scope) grant.addOIDCScope(scope);
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  return grant.save();
}
