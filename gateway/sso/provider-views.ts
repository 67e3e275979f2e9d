import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ProviderViews } from '../../sso/provider/oidc/create-oidc-provider.js';
import { logoutConfirmPage, messagePage, signedOutPage } from './pages/sign-in-pages.js';

/** The nonce our security-headers middleware put on the Express response that oidc-provider now answers. */
function nonceOf(ctx: KoaContextWithOIDC): string {
  return String((ctx.res as unknown as { locals?: { cspNonce?: string } }).locals?.cspNonce ?? '');
}

/**
 * oidc-provider's own pages in the gateway's look. Errors show the OAuth error code (useful to an app developer)
 * but never the description, which can carry internal detail; redirect_uri mismatches land here instead of being
 * redirected to an unregistered URI (RFC 6749 §4.1.2.1).
 */
export const providerViews: ProviderViews = {
  logoutSource(ctx, form) {
    ctx.type = 'html';
    ctx.body = logoutConfirmPage({ nonce: nonceOf(ctx), form });
  },
  postLogoutSuccessSource(ctx) {
    ctx.type = 'html';
    ctx.body = signedOutPage({ nonce: nonceOf(ctx) });
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = messagePage({
      nonce: nonceOf(ctx),
      title: 'This sign-in request cannot be completed',
      message: `The app sent a request Junction cannot accept (${String(out.error)}). Go back to the app and try again; if it keeps happening, tell the app’s admin.`,
    });
  },
};
