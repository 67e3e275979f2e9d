import type { FindAccount } from 'oidc-provider';
import { oidcClaims } from './claims.js';
import type { PersonViews } from './person-views.js';

/**
 * oidc-provider's account lookup. A person who is not active has no account. When a token is being used (code
 * exchange, refresh, userinfo) the app must still be granted to them: a revoked entitlement or a leaver stops
 * refresh and userinfo at once (RFC 6749 §5.2 invalid_grant), not when the tokens expire.
 */
export function createFindAccount(views: PersonViews): FindAccount {
  return async (ctx, sub, token) => {
    const clientId = ctx.oidc?.client?.clientId ?? (token as { clientId?: string } | undefined)?.clientId;
    if (!clientId) return undefined;
    const view = await views.forRequest(ctx, sub, clientId);
    if (!view || view.status !== 'active') return undefined;
    if (token && !view.hasAccess) return undefined;
    return { accountId: sub, claims: () => oidcClaims(view) as { sub: string } };
  };
}
