import { randomBytes } from 'node:crypto';
import { Router, urlencoded } from 'express';
import { SignInRejected } from '../../../sso/errors.js';
import { resolvePerson } from '../../../sso/login/complete-sign-in.js';
import { holdWrites, prefetchKey, RequestWrites } from '../../../sso/db/request-writes.js';
import {
  checkLoginTransaction,
  createLoginTransaction,
  loadLoginTransaction,
} from '../../../sso/login/login-transaction.js';
import { takeOidcCallbackState } from '../../../sso/login/oidc-callback-state.js';
import type { VerifiedSamlSignIn } from '../../../sso/upstream/saml/upstream-saml.js';
import { loadProvider, providerFromRow } from '../../../sso/upstream/provider-config.js';
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
      // Writes of this sign-in (ending the transaction, the resumed interaction) go out with the session
      // (finishSignIn); a refused sign-in drops them.
      const writes = new RequestWrites(ctx.deps.dataSource);
      try {
        await holdWrites(writes, async () => {
          const taken = await takeOidcCallbackState(ctx.deps.dataSource, req.query.state);
          if (!taken)
            throw new SignInRejected('expired', 'upstream OIDC state unknown, expired or already used');
          const { stored } = taken;
          if (stored.providerId !== providerId) {
            throw new SignInRejected(
              'invalid_request',
              `state issued for provider ${stored.providerId}, came back to ${providerId}`,
            );
          }
          const tx = checkLoginTransaction(stored.txId, taken.tx, ctx.existingBrowserToken(req));
          tenantId = tx.tenantId ?? null;
          const provider = taken.provider ? providerFromRow(taken.provider, ctx.deps.vault) : undefined;
          if (provider?.kind !== 'oidc' || !provider.enabled) {
            throw new SignInRejected(
              'invalid_request',
              `provider ${providerId} is not an enabled OIDC provider`,
            );
          }
          if (tx.resume.kind === 'oidc') {
            writes.prefetched.set(prefetchKey('Interaction', tx.resume.uid), taken.interaction ?? null);
          }
          const identity = await runtime.upstreamOidc.finish(provider, stored, req);
          const linked = await resolvePerson(ctx.deps, provider, identity);
          await finishSignIn(ctx, req, res, tx, linked, provider.id, identity.amr);
        });
      } catch (error) {
        writes.discard();
        await ctx.reject(req, res, error, {
          tenantId,
          targetType: 'identity_provider',
          targetId: providerId.slice(0, 64),
        });
      } finally {
        writes.discard();
      }
    }),
  );

  const samlForm = urlencoded({ extended: false, limit: '1mb', parameterLimit: 10 });

  // The SAML ACS (HTTP-POST binding). The POST comes cross-site, so SameSite=Lax cookies are absent: everything is
  // verified here, parked under a random key, and the browser comes back by GET — with its cookies — to finish.
  router.post(
    '/sso/callback/saml/:providerId',
    samlForm,
    handle(async (req, res) => {
      const providerId = String(req.params.providerId);
      try {
        const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, providerId);
        if (provider?.kind !== 'saml' || !provider.enabled) {
          throw new SignInRejected(
            'invalid_request',
            `provider ${providerId.slice(0, 64)} is not an enabled SAML provider`,
          );
        }
        const verified = await runtime.upstreamSaml.consume(
          provider,
          (req.body ?? {}) as Record<string, unknown>,
        );
        const key = randomBytes(18).toString('base64url');
        await runtime.store.put('upstream-saml-verified', key, verified, 300);
        res.redirect(303, `/sso/callback/saml/${provider.id}/finish/${key}`);
      } catch (error) {
        await ctx.reject(req, res, error, {
          targetType: 'identity_provider',
          targetId: providerId.slice(0, 64),
        });
      }
    }),
  );

  router.get(
    '/sso/callback/saml/:providerId/finish/:key',
    handle(async (req, res) => {
      const providerId = String(req.params.providerId);
      let tenantId: string | null = null;
      try {
        const verified = await runtime.store.take<VerifiedSamlSignIn>(
          'upstream-saml-verified',
          String(req.params.key),
        );
        if (!verified || verified.providerId !== providerId)
          throw new SignInRejected('expired', 'verified SAML sign-in unknown or used');
        const tx = verified.txId
          ? await loadLoginTransaction(runtime.store, verified.txId, ctx.existingBrowserToken(req))
          : // Unsolicited (IdP-initiated) and allowed by the provider: the sign-in starts here, for this browser.
            await createLoginTransaction(runtime.store, ctx.browserToken(req, res), {
              resume: { kind: 'launcher' },
              applicationId: null,
              loginHint: null,
              notBefore: null,
            });
        tenantId = tx.tenantId ?? null;
        const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, providerId);
        if (provider?.kind !== 'saml' || !provider.enabled)
          throw new SignInRejected('invalid_request', 'SAML provider gone');
        tenantId = provider.tenantId;
        const linked = await resolvePerson(ctx.deps, provider, verified.identity);
        await finishSignIn(ctx, req, res, tx, linked, provider.id, verified.identity.amr);
      } catch (error) {
        await ctx.reject(req, res, error, {
          tenantId,
          targetType: 'identity_provider',
          targetId: providerId.slice(0, 64),
        });
      }
    }),
  );

  router.get(
    '/sso/saml/:providerId/metadata',
    handle(async (req, res) => {
      const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, String(req.params.providerId));
      if (provider?.kind !== 'saml') {
        res.status(404).type('text/plain').send('no such SAML provider');
        return;
      }
      res.type('application/samlmetadata+xml').send(runtime.upstreamSaml.metadata(provider));
    }),
  );

  return router;
}
