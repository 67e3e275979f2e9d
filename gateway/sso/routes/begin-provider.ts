import type { Request, Response } from 'express';
import { SignInRejected } from '../../../sso/errors.js';
import { saveLoginTransaction, type LoginTransaction } from '../../../sso/login/login-transaction.js';
import { loadProvider, type LoadedProvider } from '../../../sso/upstream/provider-config.js';
import { credentialsPage } from '../pages/sign-in-pages.js';
import type { RouteContext } from './route-context.js';

/**
 * The provider a person picked (or discovery picked for them) must be one discovery offered this transaction —
 * never an arbitrary provider id from the form, which could belong to another tenant.
 */
export async function offeredProvider(
  ctx: RouteContext,
  tx: LoginTransaction,
  providerId: unknown,
): Promise<LoadedProvider> {
  if (typeof providerId !== 'string' || !tx.offeredProviderIds?.includes(providerId)) {
    throw new SignInRejected(
      'invalid_request',
      `provider ${String(providerId).slice(0, 64)} was not offered in this sign-in`,
    );
  }
  const provider = await loadProvider(ctx.deps.dataSource, ctx.deps.vault, providerId);
  if (!provider?.enabled)
    throw new SignInRejected('invalid_request', `provider ${providerId} is gone or disabled`);
  return provider;
}

/**
 * Sends the browser to the provider (OIDC / SAML), or shows the credential form (password / LDAP). `txChanged`:
 * the transaction has changes not stored yet (discovery's findings), stored here before the browser moves on.
 */
export async function beginProvider(
  ctx: RouteContext,
  req: Request,
  res: Response,
  tx: LoginTransaction,
  provider: LoadedProvider,
  txChanged = false,
): Promise<void> {
  // A pending second factor from an earlier attempt is cleared.
  let save = txChanged;
  if (tx.pending) {
    tx.pending = undefined;
    save = true;
  }
  if (provider.kind === 'oidc') {
    // The transaction is stored with the upstream state, in one statement.
    res.redirect(303, await ctx.runtime.upstreamOidc.start(provider, tx, save));
    return;
  }
  if (save) await saveLoginTransaction(ctx.runtime.store, tx);
  switch (provider.kind) {
    case 'saml':
      res.redirect(303, await ctx.runtime.upstreamSaml.start(provider, tx));
      return;
    case 'password':
    case 'ldap':
      res.type('html').send(
        credentialsPage({
          nonce: ctx.nonce(res),
          txId: tx.id,
          csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
          providerId: provider.id,
          providerName: provider.name,
          email: tx.email ?? '',
        }),
      );
      return;
  }
}
