import { Router } from 'express';
import { SignInRejected } from '../../../sso/errors.js';
import { resolvePerson } from '../../../sso/login/complete-sign-in.js';
import { loadLoginTransaction } from '../../../sso/login/login-transaction.js';
import { loadProvider } from '../../../sso/upstream/provider-config.js';
import { finishSignIn } from './login.js';
import { handle, type RouteContext } from './route-context.js';

/**
 * Where upstream IdPs send the browser back. The `state` names stored, single-use upstream state; that state names
 * the login transaction, which must belong to this browser (so a callback URL replayed or planted in another
 * browser — login CSRF, RFC 6749 §10.12 — fails), and the provider in the path must be the one it was sent to.
 */
export function upstreamCallbackRoutes(ctx: RouteContext): Router {
  const router = Router();
  const { runtime } = ctx;

  router.get(
    '/sso/callback/oidc/:providerId',
    handle(async (req, res) => {
      let tenantId: string | null = null;
      const providerId = String(req.params.providerId);
      try {
        const stored = await runtime.upstreamOidc.takeState(req.query.state);
        if (!stored)
          throw new SignInRejected('expired', 'upstream OIDC state unknown, expired or already used');
        if (stored.providerId !== providerId) {
          throw new SignInRejected(
            'invalid_request',
            `state issued for provider ${stored.providerId}, came back to ${providerId}`,
          );
        }
        const tx = await loadLoginTransaction(runtime.store, stored.txId, ctx.existingBrowserToken(req));
        tenantId = tx.tenantId ?? null;
        const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, providerId);
        if (provider?.kind !== 'oidc' || !provider.enabled) {
          throw new SignInRejected(
            'invalid_request',
            `provider ${providerId} is not an enabled OIDC provider`,
          );
        }
        const identity = await runtime.upstreamOidc.finish(provider, stored, req);
        const linked = await resolvePerson(ctx.deps, provider, identity);
        await finishSignIn(ctx, req, res, tx, linked, provider.id, identity.amr);
      } catch (error) {
        await ctx.reject(req, res, error, {
          tenantId,
          targetType: 'identity_provider',
          targetId: providerId.slice(0, 64),
        });
      }
    }),
  );

  return router;
}
