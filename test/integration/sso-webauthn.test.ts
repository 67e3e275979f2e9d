import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createPasswordIdentity } from '../../sso/admin/local-accounts.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SoftwareAuthenticator } from '../harness/software-authenticator.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import { signInWithPassword } from '../harness/sso-scenarios.js';
import {
  auditRows,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

describe('security keys (WebAuthn) as a second factor, with a software authenticator', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let key: SoftwareAuthenticator;
  const vault = testVault();
  const PASSWORD = 'correct horse battery staple';

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSsoGateway(db.dataSource, vault);
    const tenantId = await seedTenant(db.dataSource, { slug: 'keys', domains: ['keys.test'] });
    const { id: providerId } = await createIdentityProvider(db.dataSource, vault, {
      tenantId,
      kind: 'password',
      slug: 'password',
      name: 'Keys password',
      config: { secondFactor: 'optional' },
    });
    const personId = await seedPerson(db.dataSource, { tenantId, email: 'wendy@keys.test' });
    await createPasswordIdentity(db.dataSource, {
      providerId,
      personId,
      login: 'wendy@keys.test',
      password: PASSWORD,
    });
    key = new SoftwareAuthenticator();
  });

  afterAll(async () => {
    await gateway?.close();
    await db?.drop();
  });

  async function json(
    browser: SsoBrowser,
    path: string,
    body: unknown,
    csrf?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const page = await browser.fetchOnce('POST', `${gateway.url}${path}`, JSON.stringify(body), {
      'content-type': 'application/json',
      ...(csrf ? { 'x-junction-csrf': csrf } : {}),
    });
    return { status: page.status, body: page.body ? (JSON.parse(page.body) as Record<string, unknown>) : {} };
  }

  it('enrols a security key for a signed-in person (CSRF header required)', async () => {
    const browser = new SsoBrowser();
    expect((await signInWithPassword(browser, gateway.url, 'wendy@keys.test', PASSWORD)).url).toBe(
      `${gateway.url}/sso/apps`,
    );
    expect((await json(browser, '/sso/account/webauthn/options', {})).status).toBe(403);
    const csrf = JSON.parse((await browser.get(`${gateway.url}/sso/account/csrf`)).body).csrf as string;
    const options = (await json(browser, '/sso/account/webauthn/options', {}, csrf)).body as {
      challenge: string;
      rp: { id: string };
    };
    expect(options.rp.id).toBe('127.0.0.1');
    const created = await json(
      browser,
      '/sso/account/webauthn',
      { response: key.register(options, gateway.url), label: 'blue key' },
      csrf,
    );
    expect(created.status).toBe(201);
    expect((await auditRows(db.dataSource, 'sso.second_factor_enrolled')).at(-1)?.outcome).toBe('success');
  });

  async function secondStep(
    browser: SsoBrowser,
  ): Promise<{ page: Page; options: { challenge: string; rpId: string } }> {
    const page = await signInWithPassword(browser, gateway.url, 'wendy@keys.test', PASSWORD);
    const form = browser.form(page, 'webauthn');
    const optionsUrl = /data-options="([^"]+)"/.exec(page.body)![1]!;
    const options = JSON.parse((await browser.get(`${gateway.url}${optionsUrl}`)).body) as {
      challenge: string;
      rpId: string;
    };
    expect(form.action).toMatch(/\/webauthn$/);
    return { page, options };
  }

  it('asks for the key after the password and signs in with it', async () => {
    const browser = new SsoBrowser();
    const { page, options } = await secondStep(browser);
    const done = await browser.submit(page, {
      form: 'webauthn',
      fields: { response: JSON.stringify(key.assert(options, gateway.url)) },
    });
    expect(done.url).toBe(`${gateway.url}/sso/apps`);
    const [session] = (await db.dataSource.query(
      `SELECT amr FROM sso_sessions ORDER BY created_at DESC LIMIT 1`,
    )) as { amr: string[] }[];
    expect(session!.amr).toEqual(['pwd', 'hwk', 'mfa']);
  });

  it('refuses an assertion from another key claiming the same credential id', async () => {
    const browser = new SsoBrowser();
    const { page, options } = await secondStep(browser);
    const forged = key.clone(false);
    const refused = await browser.submit(page, {
      form: 'webauthn',
      fields: { response: JSON.stringify(forged.assert(options, gateway.url)) },
    });
    expect(refused.status).toBe(401);
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(
      /WebAuthn assertion (refused|not verified)/,
    );
  });

  it('refuses an assertion for another origin (phishing site relaying the challenge)', async () => {
    const browser = new SsoBrowser();
    const { page, options } = await secondStep(browser);
    const refused = await browser.submit(page, {
      form: 'webauthn',
      fields: { response: JSON.stringify(key.assert(options, 'https://evil.example')) },
    });
    expect(refused.status).toBe(401);
  });

  it('refuses a cloned authenticator whose counter does not advance', async () => {
    const clone = key.clone(true);
    clone.signCount = 0;
    const browser = new SsoBrowser();
    const { page, options } = await secondStep(browser);
    const refused = await browser.submit(page, {
      form: 'webauthn',
      fields: { response: JSON.stringify(clone.assert(options, gateway.url)) },
    });
    expect(refused.status).toBe(401);
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/counter/);
  });

  it('refuses the same assertion twice (the challenge is single use)', async () => {
    const browser = new SsoBrowser();
    const { page, options } = await secondStep(browser);
    const response = JSON.stringify(key.assert(options, gateway.url));
    expect((await browser.submit(page, { form: 'webauthn', fields: { response } })).url).toBe(
      `${gateway.url}/sso/apps`,
    );
    const again = await browser.submit(page, { form: 'webauthn', fields: { response } });
    expect(again.status).toBeGreaterThanOrEqual(400);
  });
});
