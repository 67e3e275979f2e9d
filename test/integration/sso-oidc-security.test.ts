import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as client from 'openid-client';
import { createOidcApplication } from '../../sso/admin/applications.js';
import { endSessionsForPerson } from '../../sso/sessions/end-sessions-for-person.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { authorize, federationWorld, redeem, type FederationWorld } from '../harness/sso-scenarios.js';
import {
  auditRows,
  grantApplication,
  seedPerson,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

/** Re-signs an upstream ID token after `change`, with the upstream's key unless another is given. */
async function resign(
  token: string,
  key: CryptoKey,
  change: (claims: Record<string, unknown>) => void,
  header: Record<string, unknown> = {},
): Promise<string> {
  const claims = decodeJwt(token) as Record<string, unknown>;
  change(claims);
  return new SignJWT(claims)
    .setProtectedHeader({ ...decodeProtectedHeader(token), ...header, alg: 'RS256' })
    .sign(key);
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OIDC sign-in: every check refuses what it must, creates no session, and audits why', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let world: FederationWorld;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSsoGateway(db.dataSource, vault);
    world = await federationWorld(db.dataSource, vault, gateway);
  });

  afterAll(async () => {
    await world?.stop();
    await gateway?.close();
    await db?.drop();
  });

  afterEach(() => {
    world.upstream.tamper = undefined;
  });

  const sessionCount = async (): Promise<number> =>
    Number(
      ((await db.dataSource.query(`SELECT count(*)::int AS n FROM sso_sessions`)) as [{ n: number }])[0].n,
    );

  async function refusedUpstreamLogin(
    tamper: (idToken: string) => Promise<string> | string,
  ): Promise<string> {
    world.upstream.tamper = tamper;
    const before = await sessionCount();
    const audits = (await auditRows(db.dataSource, 'sso.sign_in')).length;
    const browser = new SsoBrowser();
    const { landed } = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    expect(landed.url).toMatch(/\/sso\/callback\/oidc\//);
    expect(landed.status).toBe(403);
    expect(landed.body).toContain('did not confirm who you are');
    const shown = /<main[^>]*>([\s\S]*)<\/main>/.exec(landed.body)?.[1] ?? '';
    expect(shown).not.toMatch(/signature|nonce|issuer|audience|expired|alg/i);
    expect(await sessionCount()).toBe(before);
    const rows = await auditRows(db.dataSource, 'sso.sign_in');
    expect(rows.length).toBe(audits + 1);
    const last = rows.at(-1)!;
    expect(last.outcome).toBe('failure');
    return last.reason ?? '';
  }

  it('accepts the untampered flow (control)', async () => {
    const browser = new SsoBrowser();
    const attempt = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    expect(attempt.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect((await redeem(world.config, attempt)).claims()?.sub).toBe(world.aliceId);
  });

  it('refuses an ID token signed by another key (forged)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const reason = await refusedUpstreamLogin((t) => resign(t, privateKey, () => undefined));
    expect(reason).toMatch(/upstream_failed/);
    expect(reason).toMatch(/signature/i);
  });

  it('refuses an unsigned ID token (alg none)', async () => {
    const reason = await refusedUpstreamLogin((t) => {
      const claims = decodeJwt(t);
      return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    });
    expect(reason).toMatch(/alg/i);
  });

  it('refuses an HS256 ID token keyed with the provider public key (key confusion)', async () => {
    const pem = createPublicKey({ key: world.upstream.publicJwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const reason = await refusedUpstreamLogin(async (t) =>
      new SignJWT(decodeJwt(t))
        .setProtectedHeader({ alg: 'HS256', kid: 'upstream-rs256' })
        .sign(new TextEncoder().encode(pem)),
    );
    expect(reason).toMatch(/alg/i);
  });

  it('refuses a token from another issuer', async () => {
    const reason = await refusedUpstreamLogin((t) =>
      resign(t, world.upstream.signingKey, (c) => void (c.iss = 'https://evil.example')),
    );
    expect(reason).toMatch(/iss/);
  });

  it('refuses a token addressed to another client', async () => {
    const reason = await refusedUpstreamLogin((t) =>
      resign(t, world.upstream.signingKey, (c) => void (c.aud = 'someone-else')),
    );
    expect(reason).toMatch(/aud/);
  });

  it('refuses a token carrying another nonce', async () => {
    const reason = await refusedUpstreamLogin((t) =>
      resign(t, world.upstream.signingKey, (c) => void (c.nonce = 'not-the-one-we-sent')),
    );
    expect(reason).toMatch(/nonce/);
  });

  it('refuses an expired token', async () => {
    const reason = await refusedUpstreamLogin((t) =>
      resign(t, world.upstream.signingKey, (c) => {
        c.iat = Math.floor(Date.now() / 1000) - 7200;
        c.exp = Math.floor(Date.now() / 1000) - 3600;
      }),
    );
    expect(reason).toMatch(/exp/);
  });

  it('refuses a replayed upstream callback, and a callback opened in another browser (login CSRF)', async () => {
    const victim = new SsoBrowser();
    const attacker = new SsoBrowser();
    const url = client.buildAuthorizationUrl(world.config, {
      redirect_uri: world.rp.redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      login_hint: 'alice@acme.test',
    });
    const stopped = await attacker.getUntil(url.href, (next) =>
      next.pathname.startsWith('/sso/callback/oidc/'),
    );
    const before = await sessionCount();
    const planted = await victim.get(stopped.next);
    expect(planted.status).toBe(400);
    expect(await sessionCount()).toBe(before);
    // The state was spent by that attempt: the rightful browser cannot use it either.
    const replay = await attacker.get(stopped.next);
    expect(replay.status).toBe(403);
    expect(replay.body).toContain('expired');
    expect(await sessionCount()).toBe(before);
    const reasons = (await auditRows(db.dataSource, 'sso.sign_in')).slice(-2).map((r) => r.reason);
    expect(reasons[0]).toMatch(/browser other than the one that began it/);
    expect(reasons[1]).toMatch(/state unknown, expired or already used/);
  });

  it('matches redirect URIs exactly: no redirect to anything not registered', async () => {
    for (const redirectUri of [
      `${world.rp.redirectUri}/evil`,
      `${world.rp.redirectUri}?next=https://evil.example`,
      world.rp.redirectUri.replace('/callback', '/Callback'),
      `${world.rp.redirectUri}/`,
      'https://evil.example/callback',
    ]) {
      const browser = new SsoBrowser();
      const { landed } = await authorize(browser, world.config, redirectUri, {
        login_hint: 'alice@acme.test',
      });
      expect(landed.url.startsWith(gateway.url)).toBe(true);
      expect(landed.status).toBe(400);
      expect(landed.body).toContain('invalid_redirect_uri');
      expect(landed.chain.some((u) => u.startsWith('https://evil.example'))).toBe(false);
    }
  });

  it('requires PKCE (S256) from public clients', async () => {
    const spa = await createOidcApplication(db.dataSource, vault, {
      tenantId: world.tenantId,
      slug: 'spa',
      name: 'SPA',
      openToAll: true,
      oidc: { redirectUris: [world.rp.redirectUri], public: true },
    });
    const config = await world.rp.configure(`${gateway.url}/oidc`, spa.clientId, null);
    const browser = new SsoBrowser();
    const noPkce = client.buildAuthorizationUrl(config, {
      redirect_uri: world.rp.redirectUri,
      scope: 'openid',
      state: 's1',
    });
    const refused = await browser.get(noPkce.href);
    expect(new URL(refused.url).searchParams.get('error')).toBe('invalid_request');
    const plain = client.buildAuthorizationUrl(config, {
      redirect_uri: world.rp.redirectUri,
      scope: 'openid',
      state: 's2',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
    });
    const refusedPlain = await browser.get(plain.href);
    expect(new URL(refusedPlain.url).searchParams.get('error')).toBe('invalid_request');
    const ok = await authorize(browser, config, world.rp.redirectUri, { login_hint: 'alice@acme.test' });
    expect((await redeem(config, ok)).claims()?.sub).toBe(world.aliceId);
  });

  it('issues client-credentials tokens to machine clients; introspection and revocation work', async () => {
    const machine = await createOidcApplication(db.dataSource, vault, {
      tenantId: world.tenantId,
      slug: 'batch',
      name: 'Batch job',
      oidc: { redirectUris: ['https://batch.example/unused'], grantTypes: ['client_credentials'] },
    });
    const config = await world.rp.configure(`${gateway.url}/oidc`, machine.clientId, machine.clientSecret);
    const tokens = await client.clientCredentialsGrant(config, {});
    expect(tokens.access_token).toBeDefined();
    const active = await client.tokenIntrospection(config, tokens.access_token);
    expect(active.active).toBe(true);
    expect(active.client_id).toBe(machine.clientId);
    await client.tokenRevocation(config, tokens.access_token);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('refuses a person without the entitlement with a clear page, audits it, and lets them in once granted', async () => {
    const bobId = await seedPerson(db.dataSource, {
      tenantId: world.tenantId,
      email: 'bob@acme.test',
      employeeNumber: 'E200',
    });
    world.upstream.addPerson({
      login: 'bob@acme.test',
      sub: 'upstream-bob',
      claims: { email: 'bob@acme.test', email_verified: true, employee_id: 'E200' },
    });
    const browser = new SsoBrowser();
    const denied = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'bob@acme.test',
    });
    expect(denied.landed.status).toBe(403);
    expect(denied.landed.body).toContain('have access to Ledger');
    expect(denied.landed.body).toContain('Ask your admin');
    expect(denied.landed.chain.some((u) => u.startsWith(world.rp.redirectUri))).toBe(false);
    const audit = (await auditRows(db.dataSource, 'sso.app_access')).at(-1)!;
    expect(audit).toMatchObject({ outcome: 'denied', actor_id: bobId, target_id: world.applicationId });

    await grantApplication(db.dataSource, {
      tenantId: world.tenantId,
      personId: bobId,
      applicationId: world.applicationId,
      roleKey: 'ledger-user',
    });
    const upstreamCalls = world.upstream.authorizationRequests.length;
    const allowed = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'bob@acme.test',
    });
    expect(allowed.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    // Single sign-on: the gateway session from the refused attempt is reused, the upstream is not asked again.
    expect(world.upstream.authorizationRequests.length).toBe(upstreamCalls);
    expect((await redeem(world.config, allowed)).claims()?.sub).toBe(bobId);

    // Taking the role away stops refresh at once.
    const tokens = await redeem(world.config, await authorize(browser, world.config, world.rp.redirectUri));
    await db.dataSource.query(`DELETE FROM role_assignments WHERE person_id = $1`, [bobId]);
    await expect(client.refreshTokenGrant(world.config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('ends every session of a leaver: gateway session, refresh tokens, and a back-channel logout to the app', async () => {
    const browser = new SsoBrowser();
    const tokens = await redeem(
      world.config,
      await authorize(browser, world.config, world.rp.redirectUri, { login_hint: 'alice@acme.test' }),
    );
    const logout = world.rp.nextLogout();
    const ended = await endSessionsForPerson(
      { dataSource: db.dataSource, vault, log: gateway.runtime.deps.log, publicUrl: gateway.url },
      world.aliceId,
      { reason: 'leaver: HR termination' },
    );
    expect(ended.ssoSessions).toBeGreaterThanOrEqual(1);
    expect(ended.backchannelDelivered).toBeGreaterThanOrEqual(1);
    expect(ended.backchannelFailed).toEqual([]);
    const token = await logout;
    expect(decodeJwt(token)).toMatchObject({
      sub: world.aliceId,
      aud: world.clientId,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(decodeProtectedHeader(token).typ).toBe('logout+jwt');
    await expect(client.refreshTokenGrant(world.config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // The next authorize needs a fresh sign-in (the upstream is asked again).
    const calls = world.upstream.authorizationRequests.length;
    const again = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    expect(again.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect(world.upstream.authorizationRequests.length).toBe(calls + 1);
    const audit = (await auditRows(db.dataSource, 'sso.sessions_revoked')).at(-1)!;
    expect(audit).toMatchObject({
      outcome: 'success',
      target_id: world.aliceId,
      reason: 'leaver: HR termination',
    });
  });
  it('lets only one of several simultaneous redemptions of a code or refresh token succeed, and revokes the grant', async () => {
    const settle = async <T>(work: Promise<T>): Promise<{ ok: T } | { error: unknown }> =>
      work.then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      );
    const browser = new SsoBrowser();
    const attempt = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    // The same code four times at once (RFC 6749 §4.1.2: a code is single use; on reuse the grant is revoked).
    const codes = await Promise.all(Array.from({ length: 4 }, () => settle(redeem(world.config, attempt))));
    const codeWinners = codes.filter((r) => 'ok' in r);
    expect(codeWinners).toHaveLength(1);
    expect(codes.find((r) => 'error' in r)).toMatchObject({ error: { error: 'invalid_grant' } });
    // The winner's tokens went with the revoked grant.
    await expect(
      client.refreshTokenGrant(world.config, codeWinners[0]!.ok.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    // The same refresh token four times at once (RFC 9700 §4.14.2: rotation with reuse detection).
    const tokens = await redeem(
      world.config,
      await authorize(browser, world.config, world.rp.redirectUri, { login_hint: 'alice@acme.test' }),
    );
    const [{ grant_id: grantId }] = (await db.dataSource.query(
      `SELECT grant_id FROM oidc_payloads WHERE model = 'RefreshToken' AND id = $1`,
      [tokens.refresh_token],
    )) as [{ grant_id: string }];
    expect(grantId).toBeTruthy();
    const refreshes = await Promise.all(
      Array.from({ length: 4 }, () => settle(client.refreshTokenGrant(world.config, tokens.refresh_token!))),
    );
    const refreshWinners = refreshes.filter((r) => 'ok' in r);
    expect(refreshWinners).toHaveLength(1);
    expect(refreshes.find((r) => 'error' in r)).toMatchObject({ error: { error: 'invalid_grant' } });
    await expect(
      client.refreshTokenGrant(world.config, refreshWinners[0]!.ok.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // Nothing issued under that grant is left: not the winner's tokens, and none stored by the refused request.
    const left = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM oidc_payloads WHERE grant_id = $1`,
      [grantId],
    )) as [{ n: number }];
    expect(left[0].n).toBe(0);
  });
});
