import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import type { OidcUpstream } from '../harness/oidc-upstream.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import { oidcProviderFor } from '../harness/sso-scenarios.js';
import {
  auditRows,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

describe('account linking: employee number or verified email only; unknown identities follow the tenant policy', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let byEmail: OidcUpstream;
  let byNumber: OidcUpstream;
  let byEmailProvider: string;
  let pendingUpstream: OidcUpstream;
  let paulaId: string;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    const mail = await seedTenant(ds, { slug: 'mail', domains: ['mail.test'] });
    const numbers = await seedTenant(ds, { slug: 'numbers', domains: ['numbers.test'] });
    const open = await seedTenant(ds, {
      slug: 'open',
      domains: ['open.test'],
      settings: { unknownIdentityPolicy: 'pending' },
    });
    paulaId = await seedPerson(ds, { tenantId: mail, email: 'paula@mail.test' });
    await seedPerson(ds, { tenantId: mail, email: 'twin@mail.test', displayName: 'Twin A' });
    await seedPerson(ds, { tenantId: mail, email: 'TWIN@mail.test', displayName: 'Twin B' });
    await seedPerson(ds, { tenantId: numbers, email: 'quinn@numbers.test', employeeNumber: 'Q-1' });
    ({ upstream: byEmail, providerId: byEmailProvider } = await oidcProviderFor(ds, vault, gateway, {
      tenantId: mail,
      slug: 'mail-idp',
    }));
    ({ upstream: byNumber } = await oidcProviderFor(ds, vault, gateway, {
      tenantId: numbers,
      slug: 'numbers-idp',
      linkBy: 'employee_number',
      linkClaim: 'employee_id',
    }));
    ({ upstream: pendingUpstream } = await oidcProviderFor(ds, vault, gateway, {
      tenantId: open,
      slug: 'open-idp',
    }));
  });

  afterAll(async () => {
    for (const u of [byEmail, byNumber, pendingUpstream]) await u?.stop();
    await gateway?.close();
    await db?.drop();
  });

  const signIn = (email: string, browser = new SsoBrowser()): Promise<Page> =>
    browser.get(`${gateway.url}/sso/login?login_hint=${encodeURIComponent(email)}`);
  const identities = async (subject: string): Promise<{ person_id: string | null }[]> =>
    (await db.dataSource.query(`SELECT person_id FROM identities WHERE subject = $1`, [subject])) as {
      person_id: string | null;
    }[];
  const lastReason = async (): Promise<string | null | undefined> =>
    (await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason;

  it('never links on an unverified email, even one that matches', async () => {
    byEmail.addPerson({
      login: 'paula@mail.test',
      sub: 'attacker-1',
      claims: { email: 'paula@mail.test', email_verified: false },
    });
    const page = await signIn('paula@mail.test');
    expect(page.status).toBe(403);
    expect(page.body).toContain('could not find you');
    expect(await lastReason()).toMatch(
      /not verified by the provider; unverified emails are never used to link/,
    );
    expect(await identities('attacker-1')).toEqual([]);
  });

  it('links on a verified email', async () => {
    byEmail.addPerson({
      login: 'paula2@mail.test',
      sub: 'paula-1',
      claims: { email: 'Paula@Mail.test', email_verified: true },
    });
    const page = await signIn('paula2@mail.test');
    expect(page.url).toBe(`${gateway.url}/sso/apps`);
    expect(await identities('paula-1')).toEqual([{ person_id: paulaId }]);
  });

  it('does not hand a person already linked to one upstream account to a second account with the same email', async () => {
    byEmail.addPerson({
      login: 'paula3@mail.test',
      sub: 'paula-takeover',
      claims: { email: 'paula@mail.test', email_verified: true },
    });
    const page = await signIn('paula3@mail.test');
    expect(page.status).toBe(403);
    expect(await lastReason()).toMatch(/already linked to subject paula-1/);
  });

  it('refuses to guess when two people match', async () => {
    byEmail.addPerson({
      login: 'twin@mail.test',
      sub: 'twin-1',
      claims: { email: 'twin@mail.test', email_verified: true },
    });
    expect((await signIn('twin@mail.test')).status).toBe(403);
    expect(await lastReason()).toMatch(/2 people match verified_email/);
  });

  it('links by employee number, and refuses when the claim is missing', async () => {
    byNumber.addPerson({
      login: 'quinn@numbers.test',
      sub: 'q-sub',
      claims: { email: 'someone-else@numbers.test', employee_id: 'Q-1' },
    });
    expect((await signIn('quinn@numbers.test')).url).toBe(`${gateway.url}/sso/apps`);
    byNumber.addPerson({
      login: 'nobody@numbers.test',
      sub: 'n-sub',
      claims: { email: 'quinn@numbers.test', email_verified: true },
    });
    expect((await signIn('nobody@numbers.test')).status).toBe(403);
    expect(await lastReason()).toMatch(/claim employee_id \(unset\)|claim employee_id was missing/);
  });

  it('creates a pending person for an unknown identity (tenant policy), refuses it until an admin confirms, then signs in', async () => {
    pendingUpstream.addPerson({
      login: 'rita@open.test',
      sub: 'rita-1',
      claims: { email: 'rita@open.test', email_verified: true, name: 'Rita Newcomer' },
    });
    const first = await signIn('rita@open.test');
    expect(first.status).toBe(403);
    expect(first.body).toContain('waiting for an administrator to confirm');
    const [person] = (await db.dataSource.query(
      `SELECT id, status, display_name FROM people WHERE email = 'rita@open.test'`,
    )) as {
      id: string;
      status: string;
      display_name: string;
    }[];
    expect(person).toMatchObject({ status: 'pending', display_name: 'Rita Newcomer' });
    expect(await identities('rita-1')).toEqual([{ person_id: person!.id }]);
    expect(
      await db.dataSource.query(`SELECT count(*)::int AS n FROM sso_sessions WHERE person_id = $1`, [
        person!.id,
      ]),
    ).toEqual([{ n: 0 }]);

    expect((await signIn('rita@open.test')).status).toBe(403);
    await db.dataSource.query(`UPDATE people SET status = 'active' WHERE id = $1`, [person!.id]);
    expect((await signIn('rita@open.test')).url).toBe(`${gateway.url}/sso/apps`);
  });

  it('refuses a leaver even when the identity is linked', async () => {
    await db.dataSource.query(`UPDATE people SET status = 'leaver' WHERE id = $1`, [paulaId]);
    const page = await signIn('paula2@mail.test');
    expect(page.status).toBe(403);
    expect(page.body).toContain('Your account is not active');
    expect(byEmailProvider).toBeDefined();
  });
});
