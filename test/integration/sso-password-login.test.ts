import { generate } from 'otplib';
import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createPasswordIdentity } from '../../sso/admin/local-accounts.js';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../../sso/upstream/password/totp.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import {
  auditRows,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

describe('password + TOTP sign-in for a tenant without its own IdP', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let secure: RunningSsoGateway;
  let providerId: string;
  let carolIdentity: string;
  let totpSecret: string;
  const vault = testVault();
  const PASSWORD = 'correct horse battery staple';

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    secure = await startSsoGateway(ds, vault, { publicUrl: 'https://junction.example.test' });
    const tenantId = await seedTenant(ds, { slug: 'smallco', domains: ['smallco.test'] });
    ({ id: providerId } = await createIdentityProvider(ds, vault, {
      tenantId,
      kind: 'password',
      slug: 'password',
      name: 'SmallCo password',
      config: { secondFactor: 'optional', maxFailedAttempts: 5, lockoutMinutes: 15 },
    }));
    for (const [login, name] of [
      ['carol@smallco.test', 'Carol'],
      ['dave@smallco.test', 'Dave'],
      ['erin@smallco.test', 'Erin'],
      ['frank@smallco.test', 'Frank'],
    ] as const) {
      const personId = await seedPerson(ds, { tenantId, email: login, displayName: name });
      const { identityId } = await createPasswordIdentity(ds, {
        providerId,
        personId,
        login,
        password: PASSWORD,
      });
      if (login.startsWith('carol')) carolIdentity = identityId;
    }
    const deps = { dataSource: ds, vault, log: gateway.runtime.deps.log, publicUrl: gateway.url };
    ({ secret: totpSecret } = await beginTotpEnrolment(deps, carolIdentity, 'carol@smallco.test'));
    await confirmTotpEnrolment(deps, carolIdentity, await generate({ secret: totpSecret }));
    // Enrolment consumed the current step; let sign-in use the current code in this test.
    await ds.query(`UPDATE local_credentials SET totp_last_step = NULL WHERE identity_id = $1`, [
      carolIdentity,
    ]);
  });

  afterAll(async () => {
    await secure?.close();
    await gateway?.close();
    await db?.drop();
  });

  const sessions = async (): Promise<number> =>
    Number(
      (
        (await db.dataSource.query(
          `SELECT count(*)::int AS n FROM sso_sessions WHERE revoked_at IS NULL`,
        )) as [{ n: number }]
      )[0].n,
    );

  async function credentialsPage(browser: SsoBrowser, base: string, email: string): Promise<Page> {
    const start = await browser.get(`${base}/sso/login`);
    expect(start.status).toBe(200);
    const page = await browser.submit(start, { fields: { email } });
    expect(page.body).toContain('name="password"');
    return page;
  }

  it('signs in with password and TOTP, lands on the launcher, and refuses the same code twice', async () => {
    const browser = new SsoBrowser();
    const form = await credentialsPage(browser, gateway.url, 'carol@smallco.test');
    const totpPage = await browser.submit(form, { fields: { password: PASSWORD } });
    expect(totpPage.body).toContain('authenticator app');
    expect(browser.cookie(gateway.url, 'junction_sso')).toBeUndefined();
    const code = await generate({ secret: totpSecret });
    const launcher = await browser.submit(totpPage, { fields: { code } });
    expect(launcher.url).toBe(`${gateway.url}/sso/apps`);
    expect(launcher.body).toContain('Your apps');
    expect(browser.cookie(gateway.url, 'junction_sso')).toBeDefined();

    const other = new SsoBrowser();
    const again = await other.submit(await credentialsPage(other, gateway.url, 'carol@smallco.test'), {
      fields: { password: PASSWORD },
    });
    const before = await sessions();
    const replay = await other.submit(again, { fields: { code } });
    expect(replay.status).toBe(401);
    expect(replay.body).toContain('That code was not accepted');
    expect(await sessions()).toBe(before);
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/bad_second_factor/);
  });

  it('answers a wrong password and an unknown login the same way, and audits the difference', async () => {
    const browser = new SsoBrowser();
    const wrong = await browser.submit(await credentialsPage(browser, gateway.url, 'dave@smallco.test'), {
      fields: { password: 'nope nope nope' },
    });
    const unknown = await browser.submit(await credentialsPage(browser, gateway.url, 'nobody@smallco.test'), {
      fields: { password: 'nope nope nope' },
    });
    for (const page of [wrong, unknown]) {
      expect(page.status).toBe(401);
      expect(page.body).toContain('Incorrect email or password.');
    }
    const reasons = (await auditRows(db.dataSource, 'sso.sign_in')).slice(-2).map((r) => r.reason);
    expect(reasons[0]).toMatch(/wrong password/);
    expect(reasons[1]).toMatch(/no password identity/);
  });

  it('locks the credential after 5 failures (even the right password is refused) until the lock expires', async () => {
    const browser = new SsoBrowser();
    for (let i = 0; i < 5; i += 1) {
      await browser.submit(await credentialsPage(browser, gateway.url, 'erin@smallco.test'), {
        fields: { password: `wrong-${i}-password` },
      });
    }
    const before = await sessions();
    const locked = await browser.submit(await credentialsPage(browser, gateway.url, 'erin@smallco.test'), {
      fields: { password: PASSWORD },
    });
    expect(locked.status).toBe(403);
    expect(locked.body).toContain('Too many failed attempts');
    expect(await sessions()).toBe(before);
    await db.dataSource.query(
      `UPDATE local_credentials SET locked_until = now() - interval '1 second'
        WHERE identity_id = (SELECT id FROM identities WHERE subject = 'erin@smallco.test')`,
    );
    const ok = await browser.submit(await credentialsPage(browser, gateway.url, 'erin@smallco.test'), {
      fields: { password: PASSWORD },
    });
    expect(ok.url).toBe(`${gateway.url}/sso/apps`);
  });

  it('rate-limits guessing at one login, even one that does not exist', async () => {
    const browser = new SsoBrowser();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const page = await browser.submit(await credentialsPage(browser, gateway.url, 'ghost@smallco.test'), {
        fields: { password: 'guess-guess' },
      });
      statuses.push(page.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/rate_limited/);
  });

  it('refuses form posts without the CSRF token, or with another browser’s token', async () => {
    const browser = new SsoBrowser();
    const start = await browser.get(`${gateway.url}/sso/login`);
    const form = browser.form(start);
    const action = new URL(form.action, start.url).toString();
    const missing = await browser.post(action, { email: 'dave@smallco.test' });
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('This form has expired');

    const attacker = new SsoBrowser();
    const theirs = attacker.form(await attacker.get(`${gateway.url}/sso/login`)).fields.csrf!;
    const forged = await browser.post(action, { email: 'dave@smallco.test', csrf: theirs });
    expect(forged.status).toBe(403);
    // The transaction itself is bound to the browser that began it.
    const stolen = await attacker.post(action, { email: 'dave@smallco.test', csrf: theirs });
    expect(stolen.status).toBe(400);
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/browser other than/);
  });

  it('never redirects after sign-in to a URL it was handed', async () => {
    const browser = new SsoBrowser();
    const start = await browser.get(
      `${gateway.url}/sso/login?return_to=https://evil.example/&redirect_uri=https://evil.example/`,
    );
    const done = await browser.submit(
      await browser.submit(start, { fields: { email: 'frank@smallco.test' } }),
      { fields: { password: PASSWORD } },
    );
    expect(done.url).toBe(`${gateway.url}/sso/apps`);
    expect(done.chain.some((u) => u.includes('evil.example'))).toBe(false);
  });

  it('sets HttpOnly, SameSite=Lax cookies, Secure when served over https, and strict security headers', async () => {
    const browser = new SsoBrowser();
    const start = await browser.get(`${secure.url}/sso/login`);
    const form = await browser.submit(start, { fields: { email: 'frank@smallco.test' } });
    const done = await browser.submit(form, { fields: { password: PASSWORD } });
    expect(done.url).toBe(`${secure.url}/sso/apps`);
    const cookies = [...start.setCookies, ...done.setCookies];
    for (const name of ['junction_browser', 'junction_sso']) {
      const line = cookies.find((c) => c.startsWith(`${name}=`));
      expect(line).toBeDefined();
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Lax/);
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/; Path=\//);
    }
    const csp = start.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(start.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(start.headers.get('x-frame-options')).toBe('DENY');
    expect(start.headers.get('x-content-type-options')).toBe('nosniff');
    expect(start.headers.get('referrer-policy')).toBe('no-referrer');
    expect(start.headers.get('cache-control')).toBe('no-store');

    const plain = new SsoBrowser();
    const page = await plain.get(`${gateway.url}/sso/login`);
    const line = page.setCookies.find((c) => c.startsWith('junction_browser='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).not.toMatch(/; Secure/);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const discovery = await fetch(`${gateway.url}/oidc/.well-known/openid-configuration`);
    expect(discovery.headers.get('x-content-type-options')).toBe('nosniff');
    expect(discovery.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});
