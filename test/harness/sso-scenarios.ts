import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import type { Vault } from '../../core/vault/vault.js';
import { createOidcApplication } from '../../sso/admin/applications.js';
import { createIdentityProvider, updateIdentityProvider } from '../../sso/admin/identity-providers.js';
import { startOidcUpstream, type OidcUpstream } from './oidc-upstream.js';
import { startRelyingParty, type RelyingParty } from './relying-party.js';
import type { SsoBrowser, Page } from './sso-browser.js';
import { grantApplication, seedPerson, seedTenant, type RunningSsoGateway } from './sso-world.js';

/**
 * The usual federation set-up: tenant `acme` (acme.test) whose people sign in at their own OpenID Provider (linked
 * by employee number), and one app (`ledger`) registered as a confidential OIDC client, granted to Alice.
 */
export interface FederationWorld {
  tenantId: string;
  providerId: string;
  aliceId: string;
  applicationId: string;
  clientId: string;
  clientSecret: string;
  upstream: OidcUpstream;
  rp: RelyingParty;
  config: client.Configuration;
  stop(): Promise<void>;
}

export async function federationWorld(
  ds: DataSource,
  vault: Vault,
  gateway: RunningSsoGateway,
  options: { slug?: string; domain?: string; grantAlice?: boolean } = {},
): Promise<FederationWorld> {
  const slug = options.slug ?? 'acme';
  const domain = options.domain ?? 'acme.test';
  const tenantId = await seedTenant(ds, { slug, name: `${slug} GmbH`, domains: [domain] });
  const aliceId = await seedPerson(ds, {
    tenantId,
    email: `alice@${domain}`,
    displayName: 'Alice Example',
    givenName: 'Alice',
    familyName: 'Example',
    employeeNumber: 'E100',
    jobTitle: 'Controller',
    rank: 'M2',
    department: 'Finance',
  });
  const { id: providerId } = await createIdentityProvider(ds, vault, {
    tenantId,
    kind: 'oidc',
    slug: `${slug}-idp`,
    name: `${slug} sign-in`,
    config: { issuer: 'http://127.0.0.1:1', clientId: 'junction' },
    secrets: { clientSecret: 'placeholder' },
    linkBy: 'employee_number',
    linkClaim: 'employee_id',
  });
  const upstream = await startOidcUpstream({
    redirectUris: [`${gateway.url}/sso/callback/oidc/${providerId}`],
  });
  await updateIdentityProvider(ds, vault, providerId, {
    config: {
      issuer: upstream.issuer,
      clientId: upstream.clientId,
      scopes: ['openid', 'email', 'profile', 'employee'],
    },
    secrets: { clientSecret: upstream.clientSecret },
  });
  upstream.addPerson({
    login: `alice@${domain}`,
    sub: 'upstream-alice',
    claims: { email: `alice@${domain}`, email_verified: true, employee_id: 'E100', name: 'Alice Example' },
  });
  const rp = await startRelyingParty();
  const app = await createOidcApplication(ds, vault, {
    tenantId,
    slug: 'ledger',
    name: 'Ledger',
    oidc: {
      redirectUris: [rp.redirectUri],
      postLogoutRedirectUris: [rp.postLogoutRedirectUri],
      backchannelLogoutUri: rp.backchannelLogoutUri,
    },
  });
  if (options.grantAlice !== false) {
    await grantApplication(ds, {
      tenantId,
      personId: aliceId,
      applicationId: app.id,
      roleKey: 'ledger-user',
      entitlements: [
        { kind: 'role', value: 'approver' },
        { kind: 'group', value: 'finance' },
      ],
    });
  }
  const config = await rp.configure(`${gateway.url}/oidc`, app.clientId, app.clientSecret);
  return {
    tenantId,
    providerId,
    aliceId,
    applicationId: app.id,
    clientId: app.clientId,
    clientSecret: app.clientSecret!,
    upstream,
    rp,
    config,
    stop: async () => {
      await rp.stop();
      await upstream.stop();
    },
  };
}

export interface AuthorizeAttempt {
  landed: Page;
  verifier: string;
  state: string;
  nonce: string;
}

/** The app sends the browser to Junction's authorization endpoint (code + PKCE) and the browser follows through. */
export async function authorize(
  browser: SsoBrowser,
  config: client.Configuration,
  redirectUri: string,
  params: Record<string, string> = {},
): Promise<AuthorizeAttempt> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email employee groups roles',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  const landed = await browser.get(url.href);
  return { landed, verifier, state, nonce };
}

/** Redeems the code the browser landed with. */
export async function redeem(
  config: client.Configuration,
  attempt: AuthorizeAttempt,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  return client.authorizationCodeGrant(config, new URL(attempt.landed.url), {
    pkceCodeVerifier: attempt.verifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
  });
}

/** Signs a browser in at a `password` provider through the launcher flow; returns the launcher page. */
export async function signInWithPassword(
  browser: SsoBrowser,
  gatewayUrl: string,
  email: string,
  password: string,
): Promise<Page> {
  const start = await browser.get(`${gatewayUrl}/sso/login`);
  const credentials = await browser.submit(start, { fields: { email } });
  return browser.submit(credentials, { fields: { password } });
}

/** Continues from a page showing the email form through the password form. */
export async function completePasswordLogin(
  browser: SsoBrowser,
  emailPage: Page,
  email: string,
  password: string,
): Promise<Page> {
  const credentials = await browser.submit(emailPage, { fields: { email } });
  return browser.submit(credentials, { fields: { password } });
}

/** An OIDC identity provider for a tenant, backed by its own upstream oidc-provider instance. */
export async function oidcProviderFor(
  ds: DataSource,
  vault: Vault,
  gateway: RunningSsoGateway,
  input: {
    tenantId: string;
    slug: string;
    linkBy?: 'employee_number' | 'verified_email';
    linkClaim?: string;
    domains?: string[];
    priority?: number;
  },
): Promise<{ providerId: string; upstream: OidcUpstream }> {
  const { id: providerId } = await createIdentityProvider(ds, vault, {
    tenantId: input.tenantId,
    kind: 'oidc',
    slug: input.slug,
    name: `${input.slug} sign-in`,
    config: { issuer: 'http://127.0.0.1:1', clientId: 'junction' },
    secrets: { clientSecret: 'placeholder' },
    linkBy: input.linkBy ?? 'verified_email',
    linkClaim: input.linkClaim ?? null,
    priority: input.priority,
  });
  const upstream = await startOidcUpstream({
    redirectUris: [`${gateway.url}/sso/callback/oidc/${providerId}`],
  });
  await updateIdentityProvider(ds, vault, providerId, {
    config: {
      issuer: upstream.issuer,
      clientId: upstream.clientId,
      scopes: ['openid', 'email', 'profile', 'employee'],
      ...(input.domains ? { domains: input.domains } : {}),
    },
    secrets: { clientSecret: upstream.clientSecret },
  });
  return { providerId, upstream };
}
