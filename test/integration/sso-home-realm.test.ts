import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import type { OidcUpstream } from '../harness/oidc-upstream.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { oidcProviderFor } from '../harness/sso-scenarios.js';
import {
  auditRows,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

describe('home-realm discovery: the email picks the tenant and its provider, and never a wrong one', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  const vault = testVault();
  const upstreams: Record<string, OidcUpstream> = {};
  const providers: Record<string, string> = {};
  let northPerson: string;
  let southPerson: string;
  let southTenant: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    const group = await seedTenant(ds, { slug: 'group', name: 'Group' });
    const north = await seedTenant(ds, {
      slug: 'north',
      name: 'North AB',
      parentId: group,
      domains: ['north.test', { domain: 'north-group.test', includeSubdomains: true }],
    });
    southTenant = await seedTenant(ds, {
      slug: 'south',
      name: 'South SpA',
      parentId: group,
      domains: ['south.test'],
    });
    const mixed = await seedTenant(ds, { slug: 'mixed', name: 'Mixed Ltd', domains: ['mixed.test'] });
    await seedTenant(ds, { slug: 'empty', name: 'Empty Inc', domains: ['empty.test'] });
    const split = await seedTenant(ds, {
      slug: 'split',
      name: 'Split',
      domains: ['split.test', 'split-sales.test'],
    });

    const setups: [string, string, { priority?: number; domains?: string[] }][] = [
      ['north', north, {}],
      ['south', southTenant, {}],
      ['mixed', mixed, { priority: 20 }],
      ['split', split, { domains: ['split.test'] }],
      ['splitSales', split, { domains: ['split-sales.test'] }],
    ];
    for (const [key, tenantId, extra] of setups) {
      const { providerId, upstream } = await oidcProviderFor(ds, vault, gateway, {
        tenantId,
        slug: `${key}-idp`,
        ...extra,
      });
      upstreams[key] = upstream;
      providers[key] = providerId;
    }
    ({ id: providers.mixedPassword } = await createIdentityProvider(ds, vault, {
      tenantId: mixed,
      kind: 'password',
      slug: 'password',
      name: 'Mixed password',
      config: {},
      priority: 10,
    }));
    northPerson = await seedPerson(ds, { tenantId: north, email: 'nils@sub.north-group.test' });
    southPerson = await seedPerson(ds, { tenantId: southTenant, email: 'sara@south.test' });
    upstreams.north!.addPerson({
      login: 'nils@sub.north-group.test',
      sub: 'n-1',
      claims: { email: 'nils@sub.north-group.test', email_verified: true },
    });
    upstreams.south!.addPerson({
      login: 'sara@south.test',
      sub: 's-1',
      claims: { email: 'sara@south.test', email_verified: true },
    });
    const mixedPerson = await seedPerson(ds, { tenantId: mixed, email: 'mo@mixed.test' });
    // Mo signed in through the mixed tenant's OIDC IdP before: discovery should go there without asking.
    await ds.query(
      `INSERT INTO identities (tenant_id, provider_id, subject, person_id, email, email_verified, version)
       VALUES ($1, $2, 'm-1', $3, 'mo@mixed.test', true, 1)`,
      [mixed, providers.mixed, mixedPerson],
    );
  });

  afterAll(async () => {
    for (const upstream of Object.values(upstreams)) await upstream.stop();
    await gateway?.close();
    await db?.drop();
  });

  /** Types the email on the launcher sign-in page; returns the next hop (or the page when there is none). */
  async function discover(
    email: string,
  ): Promise<{ next?: URL; page?: Awaited<ReturnType<SsoBrowser['post']>> }> {
    const browser = new SsoBrowser();
    const start = await browser.get(`${gateway.url}/sso/login`);
    const form = browser.form(start);
    const response = await browser.fetchOnce(
      'POST',
      new URL(form.action, start.url).toString(),
      new URLSearchParams({ ...form.fields, email }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    const location = response.headers.get('location');
    return location ? { next: new URL(location, response.url) } : { page: response };
  }

  const totalUpstreamRequests = (): number =>
    Object.values(upstreams).reduce((n, u) => n + u.authorizationRequests.length, 0);

  it('sends each subsidiary’s people to their own IdP, including subdomains where the domain allows them', async () => {
    expect((await discover('nils@north.test')).next?.origin).toBe(new URL(upstreams.north!.issuer).origin);
    expect((await discover('nils@sub.north-group.test')).next?.origin).toBe(
      new URL(upstreams.north!.issuer).origin,
    );
    expect((await discover('nils@a.b.north-group.test')).next?.origin).toBe(
      new URL(upstreams.north!.issuer).origin,
    );
    expect((await discover('SARA@South.Test')).next?.origin).toBe(new URL(upstreams.south!.issuer).origin);
    expect((await discover('sam@split.test')).next?.origin).toBe(new URL(upstreams.split!.issuer).origin);
    expect((await discover('sam@split-sales.test')).next?.origin).toBe(
      new URL(upstreams.splitSales!.issuer).origin,
    );
  });

  it('completes sign-in at each subsidiary’s IdP and links within that subsidiary', async () => {
    for (const [email, personId] of [
      ['sara@south.test', southPerson],
      ['nils@sub.north-group.test', northPerson],
    ] as const) {
      const browser = new SsoBrowser();
      const page = await browser.get(`${gateway.url}/sso/login?login_hint=${encodeURIComponent(email)}`);
      expect(page.url).toBe(`${gateway.url}/sso/apps`);
      const [session] = (await db.dataSource.query(
        `SELECT person_id FROM sso_sessions ORDER BY created_at DESC LIMIT 1`,
      )) as { person_id: string }[];
      expect(session!.person_id).toBe(personId);
    }
  });

  it('answers an unknown domain with a clear page, contacting no IdP, and audits it', async () => {
    const before = totalUpstreamRequests();
    for (const email of ['x@nowhere.test', 'x@sub.south.test', 'x@north.test.evil.example']) {
      const { page, next } = await discover(email);
      expect(next).toBeUndefined();
      expect(page!.status).toBe(404);
      expect(page!.body).toContain('does not know the domain');
    }
    expect(totalUpstreamRequests()).toBe(before);
    expect((await auditRows(db.dataSource, 'sso.discovery')).at(-1)?.reason).toMatch(
      /no tenant owns the domain/,
    );
  });

  it('asks for a valid email', async () => {
    const { page } = await discover('not an email');
    expect(page!.status).toBe(400);
    expect(page!.body).toContain('Enter your work email address.');
  });

  it('offers a chooser, in priority order, when a tenant has several providers — and only those', async () => {
    const { page } = await discover('new@mixed.test');
    expect(page!.status).toBe(200);
    const browser = new SsoBrowser();
    const form = browser.form(page!);
    expect(form.buttons.map((b) => b.value)).toEqual([providers.mixedPassword, providers.mixed]);
    expect(form.buttons.map((b) => b.label)).toEqual(['Mixed password', 'mixed-idp sign-in']);

    const chooserBrowser = new SsoBrowser();
    const start = await chooserBrowser.get(`${gateway.url}/sso/login`);
    const chooser = await chooserBrowser.submit(start, { fields: { email: 'new@mixed.test' } });
    const credentials = await chooserBrowser.submit(chooser, { button: 'Mixed password' });
    expect(credentials.body).toContain('name="password"');
    const foreign = await chooserBrowser.submit(chooser, { fields: { providerId: providers.north! } });
    expect(foreign.status).toBe(400);
  });

  it('goes straight to the provider that already knows the person', async () => {
    expect((await discover('mo@mixed.test')).next?.origin).toBe(new URL(upstreams.mixed!.issuer).origin);
  });

  it('says so when the tenant has no way to sign in', async () => {
    const { page } = await discover('e@empty.test');
    expect(page!.status).toBe(409);
    expect(page!.body).toContain('has no sign-in method set up');
  });
});
