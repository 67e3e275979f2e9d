import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { startSlapd, type TestSlapd } from '../harness/slapd.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import {
  auditRows,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

const LDIF = `
dn: uid=ada,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: ada
cn: Ada Lovelace
sn: Lovelace
givenName: Ada
mail: ada@example.org
employeeNumber: E-1001
userPassword: ada-password

dn: uid=lin,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: lin
cn: Lin Chen
sn: Chen
mail: lin@example.org
employeeNumber: E-1003
userPassword: lin-password

dn: uid=mallory,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: mallory
cn: Mallory
sn: Mallory
mail: mallory@example.org
employeeNumber: E-6666
userPassword: mallory-password
`;

describe('LDAP bind sign-in against a real slapd', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let ldap: TestSlapd;
  let adaId: string;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    ldap = await startSlapd({ seed: LDIF });
    const tenantId = await seedTenant(ds, { slug: 'lab', domains: ['example.org'] });
    adaId = await seedPerson(ds, {
      tenantId,
      email: 'ada@example.org',
      employeeNumber: 'E-1001',
      displayName: 'Ada',
    });
    await seedPerson(ds, {
      tenantId,
      email: 'lin@example.org',
      employeeNumber: 'E-1003',
      displayName: 'Lin',
    });
    await createIdentityProvider(ds, vault, {
      tenantId,
      kind: 'ldap',
      slug: 'directory',
      name: 'Lab directory',
      config: { url: ldap.url, baseDn: ldap.baseDn, bindDn: ldap.readerDn },
      secrets: { bindPassword: ldap.readerPassword },
      linkBy: 'employee_number',
      linkClaim: 'employeeNumber',
    });
  });

  afterAll(async () => {
    await ldap?.stop();
    await gateway?.close();
    await db?.drop();
  });

  async function attempt(
    browser: SsoBrowser,
    login: string,
    password: string,
    email = 'ada@example.org',
  ): Promise<Page> {
    const start = await browser.get(`${gateway.url}/sso/login`);
    const form = await browser.submit(start, { fields: { email } });
    expect(form.body).toContain('Lab directory');
    return browser.submit(form, { fields: { login, password } });
  }

  it('binds as the person, links by employee number and signs in', async () => {
    const browser = new SsoBrowser();
    const page = await attempt(browser, 'ada@example.org', 'ada-password');
    expect(page.url).toBe(`${gateway.url}/sso/apps`);
    const [identity] = (await db.dataSource.query(
      `SELECT subject, person_id FROM identities WHERE person_id = $1`,
      [adaId],
    )) as {
      subject: string;
    }[];
    expect(identity!.subject).toMatch(/^[0-9a-f-]{36}$/); // slapd's entryUUID, stable across renames
    const again = await attempt(new SsoBrowser(), 'ada', 'ada-password');
    expect(again.url).toBe(`${gateway.url}/sso/apps`);
  });

  it('refuses a wrong password, an empty one (an unauthenticated bind) and filter metacharacters', async () => {
    const browser = new SsoBrowser();
    for (const [login, password, reason] of [
      ['ada@example.org', 'wrong-password', /invalid credentials/],
      ['ada@example.org', '', /empty login or password/],
      ['*', 'ada-password', /found 0 entries/],
      ['ada*)(uid=*', 'ada-password', /found 0 entries/],
    ] as const) {
      const page = await attempt(browser, login, password);
      expect(page.status).toBe(401);
      expect(page.body).toContain('Incorrect email or password.');
      expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(reason);
    }
  });

  it('refuses someone the directory knows but HR does not (tenant policy: deny)', async () => {
    const page = await attempt(new SsoBrowser(), 'mallory', 'mallory-password', 'mallory@example.org');
    expect(page.status).toBe(403);
    expect(page.body).toContain('could not find you in your organisation’s directory');
    expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(
      /no person matches employee_number/,
    );
  });

  it('locks a login after 5 failed binds, even for the right password', async () => {
    const browser = new SsoBrowser();
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(browser, 'lin', `nope-${i}`, 'lin@example.org')).status).toBe(401);
    const locked = await attempt(browser, 'lin', 'lin-password', 'lin@example.org');
    expect(locked.status).toBe(403);
    expect(locked.body).toContain('Too many failed attempts');
  });

  it('says the sign-in service is unavailable when the directory is down, without a session', async () => {
    await ldap.halt();
    try {
      const page = await attempt(new SsoBrowser(), 'ada', 'ada-password');
      expect(page.status).toBe(403);
      expect(page.body).toContain('did not confirm who you are');
      expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/upstream_failed: LDAP/);
    } finally {
      await ldap.resume();
    }
  });
});
