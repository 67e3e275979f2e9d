import Provider, { errors, type Configuration, type ErrorOut, type KoaContextWithOIDC } from 'oidc-provider';
import { isSecureDeployment, type SsoDeps } from '../../deps.js';
import { DEFAULT_ABSOLUTE_HOURS } from '../../sessions/sso-sessions.js';
import type { KeyMaterial } from '../keys/signing-keys.js';
import type { ApplicationDirectory } from './application-directory.js';
import { SCOPE_CLAIMS, SUPPORTED_SCOPES } from './claims.js';
import { OIDC_COOKIE_NAMES } from './cookie-names.js';
import { createFindAccount } from './find-account.js';
import { createInteractionPolicy, type SessionProbe } from './interaction-policy.js';
import type { PersonViews } from './person-views.js';
import { postgresAdapterFactory } from './postgres-adapter.js';
import { holdWrites, RequestWrites } from '../../db/request-writes.js';

/** authorization, resume, token and userinfo (oidc-provider's default routes, relative to the mount path). */
const HELD_WRITE_PATHS = /^\/(auth(\/[^/]+)?|token|me)$/;

/** The HTML oidc-provider shows itself; the gateway renders them in its own look. */
export interface ProviderViews {
  logoutSource(ctx: KoaContextWithOIDC, form: string): void | Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): void | Promise<void>;
  renderError(ctx: KoaContextWithOIDC, out: ErrorOut, error: Error): void | Promise<void>;
}

export interface ProviderParts {
  deps: SsoDeps;
  keys: KeyMaterial;
  applications: ApplicationDirectory;
  views: PersonViews;
  probe: SessionProbe;
  render: ProviderViews;
  /** Runs after oidc-provider handled a request (e.g. end the SSO session after RP-initiated logout). */
  after?: (ctx: KoaContextWithOIDC) => Promise<void>;
}

/** Mounted at `/oidc`; the issuer identifier is that URL (OIDC Discovery §4.3: issuer equals the base URL). */
export const OIDC_MOUNT_PATH = '/oidc';
export const issuerOf = (publicUrl: string): string => `${publicUrl}${OIDC_MOUNT_PATH}`;

export const TOKEN_TTL = {
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  ClientCredentials: 10 * 60,
  IdToken: 60 * 60,
  Interaction: 15 * 60,
  Grant: 30 * 24 * 3600,
  RefreshToken: 30 * 24 * 3600,
} as const;

/**
 * Junction's OpenID Provider. Every option that departs from oidc-provider's defaults says why. Only the
 * authorization code flow exists (no implicit / hybrid, per OAuth 2.0 Security BCP RFC 9700 §2.1.2), PKCE is
 * required for public clients (RFC 9700 §2.1.1), refresh tokens rotate on use (RFC 9700 §4.14.2).
 */
export function createOidcProvider(parts: ProviderParts): Provider {
  const { deps, keys } = parts;
  const secure = isSecureDeployment(deps.publicUrl);
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure, signed: true };

  const configuration: Configuration = {
    adapter: postgresAdapterFactory(deps.dataSource, deps.vault),
    findAccount: createFindAccount(parts.views),
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    scopes: SUPPORTED_SCOPES,
    // Apps expect the scoped claims in the ID token too, not only at userinfo (OIDC Core §5.4 allows either).
    conformIdTokenClaims: false,
    jwks: keys.oidcJwks as Configuration['jwks'],
    cookies: { keys: keys.cookieSecrets, names: OIDC_COOKIE_NAMES, long: cookie, short: cookie },
    responseTypes: ['code'],
    // Exact redirect_uri matching always (RFC 9700 §4.1.3): a client must send the URI it registered.
    allowOmittingSingleRegisteredRedirectUri: false,
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: parts.render.logoutSource,
        postLogoutSuccessSource: parts.render.postLogoutSuccessSource,
      },
    },
    // Workforce apps expect refresh tokens without asking for offline_access; without it they end with the session.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      ...TOKEN_TTL,
      Session: (_ctx) => DEFAULT_ABSOLUTE_HOURS * 3600,
    },
    interactions: {
      url: (_ctx, interaction) => `/sso/interaction/${interaction.uid}`,
      policy: createInteractionPolicy(parts.probe, parts.views),
    },
    // First-party apps registered by an admin: no consent screen. The grant always covers what the app asked for
    // (oidc-provider has already refused scopes outside the client's registered `scope`).
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      const grant =
        (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ??
        new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      const before = grant.getOIDCScope();
      grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      if (!grantId || grant.getOIDCScope() !== before || oidc.requestParamClaims.size) await grant.save();
      return grant;
    },
    renderError: parts.render.renderError,
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => safeOrigin(uri) === origin),
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
    clockTolerance: 5,
  };

  const provider = new Provider(issuerOf(deps.publicUrl), configuration);
  // The gateway pins Host / X-Forwarded-Proto to PUBLIC_URL before oidc-provider sees a request (sso-routes.ts),
  // so reading the forwarded protocol is safe and makes cookies Secure behind a TLS-terminating proxy.
  provider.proxy = true;
  provider.on('backchannel.error', (_ctx, error, client, accountId) =>
    deps.log.warn(
      { err: error, clientId: client.clientId, accountId },
      'back-channel logout delivery failed',
    ),
  );
  provider.on('server_error', (_ctx, error) => deps.log.error({ err: error }, 'oidc-provider server error'));
  // The hot endpoints hold their writes and send them in one statement before answering (request-writes.ts).
  provider.use(async (ctx, next) => {
    if (!HELD_WRITE_PATHS.test(ctx.path)) return next();
    const writes = new RequestWrites(deps.dataSource);
    try {
      await holdWrites(writes, next);
    } finally {
      // A failed flush throws: Koa then answers 500 and drops the headers already set (a redirect, cookies), so
      // nobody acts on a response whose state was not stored.
      await writes.close().catch((error: unknown) => {
        // Except when the code or refresh token this request redeemed turned out used by another request at the
        // same time (RequestWrites.guardConsume): nothing was stored, the grant is revoked, and the answer is the
        // invalid_grant oidc-provider gives for any reuse (RFC 6749 §5.2) instead of the tokens.
        if (!(error instanceof errors.InvalidGrant)) throw error;
        ctx.status = error.statusCode;
        ctx.body = { error: error.error, error_description: error.error_description };
      });
    }
  });
  if (parts.after) {
    const after = parts.after;
    provider.use(async (ctx, next) => {
      await next();
      await after(ctx as KoaContextWithOIDC);
    });
  }
  return provider;
}

function safeOrigin(uri: string): string | undefined {
  try {
    return new URL(uri).origin;
  } catch {
    return undefined;
  }
}
