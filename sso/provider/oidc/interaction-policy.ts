import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { PersonViews } from './person-views.js';

export interface SessionProbe {
  /** The person of the gateway's own SSO session carried by this request, if it is live. */
  personOf(ctx: KoaContextWithOIDC): Promise<string | undefined>;
}

/**
 * oidc-provider's default prompts (OIDC Core §3.1.2.1) plus two checks of ours on the `login` prompt, evaluated on
 * every authorization request that would otherwise skip the login UI:
 * - `junction_session_ended`: oidc-provider's session cookie outlives ours (idle / absolute timeout, logout,
 *   leaver revocation), so its session counts only while the gateway's SSO session for the same person is live;
 * - `junction_no_app_access`: the access model no longer grants this app; the interaction then shows the
 *   "no access" page (and audits it) instead of issuing a code.
 */
export function createInteractionPolicy(
  probe: SessionProbe,
  views: PersonViews,
): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider changed: no login prompt in the base policy');

  login.checks.push(
    new interactionPolicy.Check(
      'junction_session_ended',
      'the Junction sign-in session has ended',
      async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // the base `no_session` check prompts
        const person = await probe.personOf(ctx);
        return person === accountId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
    new interactionPolicy.Check(
      'junction_no_app_access',
      'the person has no access to this application',
      async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        if (!accountId || !clientId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const view = await views.forRequest(ctx, accountId, clientId);
        return view?.status === 'active' && view.hasAccess
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}
