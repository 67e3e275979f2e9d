import type { Request } from 'express';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as client from 'openid-client';
import type { SsoDeps } from '../../deps.js';
import { SignInRejected } from '../../errors.js';
import {
  LOGIN_TTL_SECONDS,
  loginTransactionEntry,
  type LoginTransaction,
} from '../../login/login-transaction.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import { runStrategy } from '../passport-runner.js';
import type { LoadedProvider, OidcProviderConfig } from '../provider-config.js';
import type { UpstreamIdentity } from '../upstream-identity.js';
import { IdTokenRejected } from './id-token/id-token-check.js';
import { verifyIdToken } from './id-token/verify-id-token.js';
import { STATE_KEY, UpstreamOidcStrategy } from './upstream-oidc-strategy.js';

type OidcProvider = Extract<LoadedProvider, { kind: 'oidc' }>;

export const UPSTREAM_OIDC_NAMESPACE = 'upstream-oidc';

export interface StoredState {
  txId: string;
  providerId: string;
  stateData: { code_verifier: string; nonce?: string; state?: string; max_age?: number };
}

interface CachedServer {
  key: string;
  at: number;
  config: client.Configuration;
  /** openid-client's serverMetadata() deep-copies the metadata on every call: read once per discovery. */
  metadata: client.ServerMetadata;
  keys: JWTVerifyGetKey;
  /**
   * The passport strategy for this provider, shared by its requests: it keeps only configuration, and runStrategy
   * gives each call its own object for the outcome. Its verify callback hands the tokens back as the "user".
   */
  strategy: UpstreamOidcStrategy;
}

const NAMESPACE = UPSTREAM_OIDC_NAMESPACE;
const DISCOVERY_CACHE_MS = 10 * 60 * 1000;
const CLOCK_SKEW_SECONDS = 60;

/**
 * Sign-in through a subsidiary's OpenID Provider: authorization code flow with PKCE (S256), state and nonce on
 * every request (OIDC Core §3.1.2.1, RFC 7636), through openid-client's passport strategy; then Junction's own
 * ID-token pipeline (verify-id-token.ts) on top of openid-client's checks.
 */
export class UpstreamOidc {
  private readonly servers = new Map<string, CachedServer>();

  constructor(
    private readonly deps: SsoDeps,
    private readonly store: ExpiringStore,
  ) {}

  callbackUrl(providerId: string): string {
    return `${this.deps.publicUrl}/sso/callback/oidc/${providerId}`;
  }

  /**
   * Builds the authorization request, stores its state (keyed by `state`) — and the login transaction with it in
   * the same statement when `saveTx` — and returns where to send the browser.
   */
  async start(provider: OidcProvider, tx: LoginTransaction, saveTx = false): Promise<string> {
    const server = await this.server(provider);
    const session: Record<string, StoredState['stateData']> = {};
    const outcome = await runStrategy(server.strategy, { method: 'GET', session } as unknown as Request, {
      phase: 'start',
      loginHint: tx.email ?? tx.loginHint ?? undefined,
      ...(tx.notBefore ? { prompt: 'login' } : {}),
    });
    if (outcome.kind !== 'redirect') throw asRejection(outcome, 'building the authorization request');
    const stateData = session[STATE_KEY];
    if (!stateData?.state || !stateData.nonce || !stateData.code_verifier) {
      throw new Error('sso: the upstream OIDC strategy did not record state, nonce and PKCE verifier');
    }
    const stored: StoredState = { txId: tx.id, providerId: provider.id, stateData };
    await this.store.putMany([
      ...(saveTx ? [loginTransactionEntry(tx)] : []),
      { namespace: NAMESPACE, key: stateData.state, value: stored, ttlSeconds: LOGIN_TTL_SECONDS },
    ]);
    return outcome.url;
  }

  /** Takes (single use) the state the callback names; undefined when unknown, expired or already used. */
  async takeState(state: unknown): Promise<StoredState | undefined> {
    if (typeof state !== 'string' || state.length < 16 || state.length > 200) return undefined;
    return this.store.take<StoredState>(NAMESPACE, state);
  }

  /** Redeems the code (PKCE, state, nonce checked by openid-client) and runs the ID-token pipeline. */
  async finish(provider: OidcProvider, stored: StoredState, req: Request): Promise<UpstreamIdentity> {
    const server = await this.server(provider);
    const nonce = stored.stateData.nonce;
    if (!nonce) throw new SignInRejected('upstream_failed', 'stored upstream state has no nonce');
    const view = {
      method: 'GET',
      originalUrl: req.originalUrl,
      url: req.url,
      session: { [STATE_KEY]: stored.stateData },
      headersDistinct: req.headersDistinct,
    } as unknown as Request;
    const outcome = await runStrategy(server.strategy, view, { phase: 'callback' });
    if (outcome.kind !== 'success' || !isTokenResponse(outcome.user))
      throw asRejection(outcome, 'the upstream callback');
    return this.toIdentity(provider, server, outcome.user, nonce).catch((error: unknown) => {
      throw asRejection({ kind: 'error', error }, 'the upstream callback');
    });
  }

  private strategy(provider: OidcProvider, config: client.Configuration): UpstreamOidcStrategy {
    return new UpstreamOidcStrategy(
      {
        config,
        name: `oidc:${provider.id}`,
        sessionKey: STATE_KEY,
        callbackURL: this.callbackUrl(provider.id),
        scope: provider.config.scopes.join(' '),
      },
      (tokens, done) => done(null, tokens),
    );
  }

  private async toIdentity(
    provider: OidcProvider,
    server: CachedServer,
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
    nonce: string,
  ): Promise<UpstreamIdentity> {
    if (!tokens.id_token) throw new IdTokenRejected('format', 'the token response carried no id_token');
    const metadata = server.metadata;
    const advertised = metadata.id_token_signing_alg_values_supported;
    const claims: Record<string, unknown> = {
      ...(await verifyIdToken(
        tokens.id_token,
        {
          issuer: metadata.issuer,
          clientId: provider.config.clientId,
          nonce,
          algorithms: provider.config.idTokenAlgorithms.filter(
            (alg) => !advertised || advertised.includes(alg),
          ),
          now: Math.floor(Date.now() / 1000),
          clockSkewSeconds: CLOCK_SKEW_SECONDS,
        },
        server.keys,
      )),
    };
    if (provider.config.fetchUserinfo) {
      // OIDC Core §5.3.2: the userinfo `sub` must equal the ID token's (openid-client checks it).
      const userinfo = await client.fetchUserInfo(server.config, tokens.access_token, String(claims.sub));
      for (const [name, value] of Object.entries(userinfo)) if (!(name in claims)) claims[name] = value;
    }
    return mapClaims(provider, claims);
  }

  private async server(provider: OidcProvider): Promise<CachedServer> {
    const key = JSON.stringify([
      provider.config.issuer,
      provider.config.clientId,
      provider.secrets.clientSecret,
      provider.config.scopes,
    ]);
    const hit = this.servers.get(provider.id);
    if (hit && hit.key === key && Date.now() - hit.at < DISCOVERY_CACHE_MS) return hit;
    const issuer = new URL(provider.config.issuer);
    const config = await client
      .discovery(
        issuer,
        provider.config.clientId,
        {},
        client.ClientSecretBasic(provider.secrets.clientSecret),
        { execute: isLoopbackHttp(issuer) ? [client.allowInsecureRequests] : [] },
      )
      .catch((error: unknown) => {
        throw new SignInRejected('upstream_failed', `discovery of ${issuer.href} failed: ${String(error)}`, {
          cause: error,
        });
      });
    // The ID token's signature is verified once, by our own pipeline (verify-id-token.ts: algorithm allow-list,
    // then the provider's JWKS), not a second time by openid-client's non-repudiation check.
    const metadata = config.serverMetadata();
    const jwksUri = metadata.jwks_uri;
    if (!jwksUri) throw new SignInRejected('upstream_failed', `${issuer.href} publishes no jwks_uri`);
    const server: CachedServer = {
      key,
      at: Date.now(),
      config,
      metadata,
      keys: createRemoteJWKSet(new URL(jwksUri)),
      strategy: this.strategy(provider, config),
    };
    this.servers.set(provider.id, server);
    return server;
  }
}

function isTokenResponse(
  value: unknown,
): value is client.TokenEndpointResponse & client.TokenEndpointResponseHelpers {
  return typeof value === 'object' && value !== null && 'access_token' in value;
}

/** Plain http is allowed only to loopback (a developer's or the test harness's IdP); anything else needs https. */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function mapClaims(provider: OidcProvider, claims: Record<string, unknown>): UpstreamIdentity {
  const config: OidcProviderConfig = provider.config;
  const str = (name: string): string | null => {
    const value = claims[name];
    return typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : typeof value === 'number'
        ? String(value)
        : null;
  };
  const verified = claims.email_verified;
  const upstreamAmr = Array.isArray(claims.amr)
    ? claims.amr.filter((v): v is string => typeof v === 'string')
    : [];
  return {
    providerId: provider.id,
    subject: String(claims.sub),
    email: str(config.emailClaim)?.toLowerCase() ?? null,
    // OIDC Core §5.1: a boolean. The string "true" is accepted because some IdPs (Cognito) send it so.
    emailVerified: verified === true || verified === 'true',
    employeeNumber: provider.linkClaim ? str(provider.linkClaim) : null,
    givenName: str(config.givenNameClaim),
    familyName: str(config.familyNameClaim),
    displayName: str(config.nameClaim),
    amr: ['fed', ...upstreamAmr.filter((v) => v !== 'fed')],
    claims,
  };
}

function asRejection(outcome: Awaited<ReturnType<typeof runStrategy>>, during: string): SignInRejected {
  if (outcome.kind === 'error') {
    const error = outcome.error;
    if (error instanceof SignInRejected) return error;
    const message =
      error instanceof Error ? `${error.name}: ${error.message}${causeDetail(error)}` : String(error);
    return new SignInRejected('upstream_failed', `${during}: ${message}`, { cause: error });
  }
  if (outcome.kind === 'fail') return new SignInRejected('upstream_failed', `${during}: ${outcome.message}`);
  return new SignInRejected('upstream_failed', `${during}: unexpected strategy outcome ${outcome.kind}`);
}

/** openid-client (oauth4webapi) puts the failed check in `cause`: which claim or header, and what was expected. */
function causeDetail(error: Error): string {
  const cause = error.cause;
  if (!cause || typeof cause !== 'object') return '';
  const picked: Record<string, unknown> = {};
  for (const key of ['claim', 'expected', 'reason', 'now', 'tolerance', 'error', 'error_description']) {
    const value = (cause as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  const header = (cause as { header?: { alg?: unknown } }).header;
  if (header?.alg !== undefined) picked.alg = header.alg;
  return Object.keys(picked).length
    ? ` ${JSON.stringify(picked)}`
    : cause instanceof Error
      ? ` (${cause.message})`
      : '';
}
