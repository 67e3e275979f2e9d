import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { createOidcApplication } from '../../sso/admin/applications.js';
import { createIdentityProvider, updateIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { startOidcUpstream, type OidcUpstream } from '../harness/oidc-upstream.js';
import { startRelyingParty, type RelyingParty } from '../harness/relying-party.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import {
  auditRows,
  grantApplication,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

describe('an app signs in through Junction, which federates to a subsidiary OpenID Provider', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let upstream: OidcUpstream;
  let rp: RelyingParty;
  let config: client.Configuration;
  let aliceId: string;
  let providerId: string;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    const tenantId = await seedTenant(ds, { slug: 'acme', name: 'Acme GmbH', domains: ['acme.test'] });
    aliceId = await seedPerson(ds, {
      tenantId,
      email: 'alice@acme.test',
      displayName: 'Alice Example',
      givenName: 'Alice',
      familyName: 'Example',
      employeeNumber: 'E100',
      jobTitle: 'Controller',
      rank: 'M2',
      department: 'Finance',
    });
    ({ id: providerId } = await createIdentityProvider(ds, vault, {
      tenantId,
      kind: 'oidc',
      slug: 'acme-idp',
      name: 'Acme sign-in',
      config: { issuer: 'http://127.0.0.1:1', clientId: 'junction' },
      secrets: { clientSecret: 'placeholder' },
      linkBy: 'employee_number',
      linkClaim: 'employee_id',
    }));
    upstream = await startOidcUpstream({ redirectUris: [`${gateway.url}/sso/callback/oidc/${providerId}`] });
    await updateIdentityProvider(ds, vault, providerId, {
      config: {
        issuer: upstream.issuer,
        clientId: upstream.clientId,
        scopes: ['openid', 'email', 'profile', 'employee'],
      },
      secrets: { clientSecret: upstream.clientSecret },
    });
    upstream.addPerson({
      login: 'alice@acme.test',
      sub: 'upstream-alice',
      claims: { email: 'alice@acme.test', email_verified: true, employee_id: 'E100', name: 'Alice Example' },
    });

    rp = await startRelyingParty();
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
    config = await rp.configure(`${gateway.url}/oidc`, app.clientId, app.clientSecret);
  });

  afterAll(async () => {
    await rp?.stop();
    await upstream?.stop();
    await gateway?.close();
    await db?.drop();
  });

  it('runs code + PKCE through home-realm discovery and the upstream IdP, then tokens, userinfo, refresh and logout', async () => {
    const browser = new SsoBrowser();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorize = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.redirectUri,
      scope: 'openid profile email employee groups roles',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: 'alice@acme.test',
    });

    const landed = await browser.get(authorize.href);
    expect(landed.url.startsWith(rp.redirectUri)).toBe(true);
    expect(landed.chain.some((u) => u.startsWith(upstream.issuer))).toBe(true);

    // Junction's request to the upstream carried state, nonce and an S256 PKCE challenge.
    const upstreamRequest = upstream.authorizationRequests.at(-1)!;
    expect(upstreamRequest.get('state')).toMatch(/.{20,}/);
    expect(upstreamRequest.get('nonce')).toMatch(/.{20,}/);
    expect(upstreamRequest.get('code_challenge_method')).toBe('S256');
    expect(upstreamRequest.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(aliceId);
    expect(claims).toMatchObject({
      email: 'alice@acme.test',
      employee_number: 'E100',
      department: 'Finance',
      title: 'Controller',
      rank: 'M2',
      roles: ['ledger-user'],
      entitlements: ['approver'],
      groups: ['finance'],
    });

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, aliceId);
    expect(userinfo.roles).toEqual(['ledger-user']);
    expect(userinfo.employee_number).toBe('E100');

    expect(tokens.refresh_token).toBeDefined();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Rotation: the used refresh token is spent.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const success = await auditRows(db.dataSource, 'sso.sign_in');
    expect(success.some((row) => row.outcome === 'success' && row.actor_id === aliceId)).toBe(true);

    // RP-initiated logout: confirmation, back-channel logout token to the app, gateway session gone.
    const backchannel = rp.nextLogout();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: rp.postLogoutRedirectUri,
      state: 'bye',
    });
    const confirm = await browser.get(endSession.href);
    expect(confirm.status).toBe(200);
    const done = await browser.submit(confirm, { form: 'op.logoutForm', fields: { logout: 'yes' } });
    expect(done.url).toBe(`${rp.postLogoutRedirectUri}?state=bye`);
    const logoutToken = await backchannel;
    const { payload } = await jwtVerify(
      logoutToken,
      createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)),
      {
        issuer: config.serverMetadata().issuer,
        audience: config.clientMetadata().client_id,
      },
    );
    expect(payload.sub).toBe(aliceId);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.sid).toEqual(expect.any(String));

    const apps = await browser.get(`${gateway.url}/sso/apps`);
    expect(apps.chain[1]).toMatch(/\/sso\/login$/);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
