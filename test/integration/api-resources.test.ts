import { seedTenantObjects, type TenantObjects } from './api-fixtures.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type Json,
  type TenantFamily,
} from './api-harness.js';

/**
 * Every admin API resource, table-driven: create / read / update / delete by a group admin, validation errors,
 * and tenant isolation (a subsidiary admin gets 404 for the other subsidiary's objects on every endpoint).
 */
interface World {
  family: TenantFamily;
  a: TenantObjects;
  b: TenantObjects;
}

interface ResourceCase {
  path: string;
  /** Body creating an object in subsidiary A (by the group admin). */
  create?: (w: World, n: number) => Json;
  update?: Json;
  /** An existing object of subsidiary A, for read-only / update-only resources. */
  existingA?: (w: World) => string;
  /** An existing object of subsidiary B (isolation). */
  existingB: (w: World) => string;
  /** A create body that targets subsidiary B (a subsidiary admin of A must get 404). */
  createInB?: (w: World) => Json;
  /** DELETE keeps the object (API tokens are revoked, not removed). */
  softDelete?: boolean;
}

const cases: ResourceCase[] = [
  {
    path: '/tenants',
    create: (w, n) => ({ parentId: w.family.subA.id, slug: `child-${n}`, name: `Child ${n}` }),
    update: { name: 'Renamed child' },
    existingB: (w) => w.family.subB.id,
    createInB: (w) => ({ parentId: w.family.subB.id, slug: 'sneaky', name: 'Sneaky' }),
  },
  {
    path: '/domains',
    create: (w, n) => ({ tenantId: w.family.subA.id, domain: `d${n}.a.example.com` }),
    update: { includeSubdomains: true },
    existingB: () => '',
    createInB: (w) => ({ tenantId: w.family.subB.id, domain: 'b.example.com' }),
  },
  {
    path: '/connections',
    create: (w, n) => ({
      tenantId: w.family.subA.id,
      connectorId: 'wecom',
      slug: `wecom-${n}`,
      name: `WeCom ${n}`,
      direction: 'target',
      config: { corpId: 'corp', corpSecret: 'secret', baseUrl: 'http://127.0.0.1:9' },
    }),
    update: { name: 'Renamed connection', schedule: { intervalSeconds: 900 } },
    existingB: (w) => w.b.connection.id,
    createInB: (w) => ({
      tenantId: w.family.subB.id,
      connectorId: 'wecom',
      slug: 'sneaky',
      name: 'Sneaky',
      direction: 'target',
      config: { corpId: 'corp', corpSecret: 'secret' },
    }),
  },
  {
    path: '/identity-providers',
    create: (w, n) => ({
      tenantId: w.family.subA.id,
      kind: 'oidc',
      slug: `okta-${n}`,
      name: `Okta ${n}`,
      config: { issuer: 'https://idp.example.com', clientId: 'junction' },
      secrets: { clientSecret: 'upstream-client-secret' },
    }),
    update: { name: 'Renamed IdP', priority: 5 },
    existingB: () => '',
    createInB: (w) => ({
      tenantId: w.family.subB.id,
      kind: 'password',
      slug: 'sneaky',
      name: 'Sneaky',
    }),
  },
  {
    path: '/applications',
    create: (w, n) => ({
      tenantId: w.family.subA.id,
      protocol: 'oidc',
      slug: `wiki-${n}`,
      name: `Wiki ${n}`,
      oidc: { redirectUris: [`https://wiki${n}.example.com/callback`] },
    }),
    update: { name: 'Renamed app', openToAll: true },
    existingB: () => '',
    createInB: (w) => ({
      tenantId: w.family.subB.id,
      protocol: 'saml',
      slug: 'sneaky',
      name: 'Sneaky',
      saml: { entityId: 'https://sneaky.example.com', acsUrl: 'https://sneaky.example.com/acs' },
    }),
  },
  {
    path: '/roles',
    create: (w, n) => ({ tenantId: w.family.subA.id, key: `role-${n}`, name: `Role ${n}` }),
    update: { name: 'Renamed role' },
    existingB: (w) => w.b.role.id,
    createInB: (w) => ({ tenantId: w.family.subB.id, key: 'sneaky', name: 'Sneaky' }),
  },
  {
    path: '/role-rules',
    create: (w, n) => ({
      roleId: w.a.role.id,
      name: `Engineers ${n}`,
      condition: { attribute: 'jobTitle', op: 'eq', value: 'Engineer' },
    }),
    update: { enabled: false },
    existingB: () => '',
    createInB: (w) => ({ roleId: w.b.role.id, name: 'x', condition: { always: true } }),
  },
  {
    path: '/role-assignments',
    create: (w, n) => ({ personId: w.a.person.id, roleId: w.a.role.id, reason: `covering ${n}` }),
    update: { reason: 'still covering' },
    existingB: () => '',
    createInB: (w) => ({ personId: w.b.person.id, roleId: w.b.role.id, reason: 'x' }),
  },
  {
    path: '/entitlements',
    create: (w, n) => ({
      roleId: w.a.role.id,
      kind: 'group',
      connectionId: w.a.connection.id,
      value: `team-${n}`,
    }),
    update: { value: 'team-renamed' },
    existingB: () => '',
    createInB: (w) => ({ roleId: w.b.role.id, kind: 'account', connectionId: w.b.connection.id }),
  },
  {
    path: '/admin-grants',
    create: (w) => ({ personId: w.a.person.id, tenantId: w.family.subA.id, role: 'connector_operator' }),
    update: { role: 'subsidiary_admin' },
    existingB: (w) => w.b.grant.id,
    createInB: (w) => ({ personId: w.b.person.id, tenantId: w.family.subB.id, role: 'auditor' }),
  },
  {
    path: '/api-tokens',
    create: (w, n) => ({
      kind: 'admin',
      tenantId: w.family.subA.id,
      name: `automation ${n}`,
      role: 'auditor',
    }),
    update: { name: 'renamed token' },
    existingB: () => '',
    createInB: (w) => ({ kind: 'admin', tenantId: w.family.subB.id, name: 'x', role: 'auditor' }),
    softDelete: true,
  },
  {
    path: '/people',
    existingA: (w) => w.a.person.id,
    update: { set: { jobTitle: 'Lead' } },
    existingB: (w) => w.b.person.id,
  },
  {
    path: '/departments',
    existingA: (w) => w.a.department.id,
    update: { set: { name: 'Platform' } },
    existingB: (w) => w.b.department.id,
  },
  { path: '/groups', existingA: (w) => w.a.group.id, existingB: (w) => w.b.group.id },
  { path: '/accounts', existingA: (w) => w.a.account.id, existingB: (w) => w.b.account.id },
  { path: '/sync-runs', existingA: (w) => w.a.run.id, existingB: (w) => w.b.run.id },
  { path: '/approvals', existingA: (w) => w.a.approval.id, existingB: (w) => w.b.approval.id },
];

describe('admin API resources', () => {
  let ctx: ApiTestContext;
  let world: World;
  let group: ApiClient;
  let subA: ApiClient;
  const createdInB = new Map<string, string>();

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    const ds = ctx.db.dataSource;
    const family = await seedTenantFamily(ds);
    world = {
      family,
      a: await seedTenantObjects(ds, family.subA.id, 'a'),
      b: await seedTenantObjects(ds, family.subB.id, 'b'),
    };
    group = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    subA = apiClient(ctx.gateway.url, await createAdminToken(ds, family.subA.id, 'subsidiary_admin'));
    // Objects of subsidiary B that only exist through the API, made by the group admin.
    for (const c of cases) {
      if (c.createInB && c.existingB(world) === '') {
        const made = await group.post(c.path, c.createInB(world));
        expect([c.path, made.status]).toEqual([c.path, 201]);
        createdInB.set(c.path, String(made.body.id));
      }
    }
  });

  afterAll(async () => {
    await ctx.close();
  });

  const idInB = (c: ResourceCase): string => createdInB.get(c.path) ?? c.existingB(world);

  describe.each(cases.map((c) => [c.path, c] as const))('%s', (_path, c) => {
    it('creates, reads, updates and deletes (group admin)', async () => {
      let id: string;
      if (c.create) {
        const created = await group.post(c.path, c.create(world, 1));
        expect(created.status).toBe(201);
        expect(created.headers.get('etag')).toMatch(/^"\d+"$/);
        id = String(created.body.id);
      } else {
        id = c.existingA!(world);
      }
      const read = await group.get(`${c.path}/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(id);
      const list = await group.get<{ items: Json[] }>(`${c.path}?limit=200`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((item) => item.id)).toContain(id);
      const badQuery = await group.get(`${c.path}?limit=0&sort=nonsense`);
      expect(badQuery.status).toBe(400);
      expect((badQuery.body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(
        expect.arrayContaining(['query.limit', 'query.sort']),
      );
      if (c.update) {
        const etag = read.headers.get('etag')!;
        const updated = await group.patch(`${c.path}/${id}`, c.update, { 'if-match': etag });
        expect(updated.status).toBe(200);
        expect(updated.headers.get('etag')).not.toBe(etag);
        const stale = await group.patch(`${c.path}/${id}`, c.update, { 'if-match': etag });
        expect(stale.status).toBe(412);
      }
      if (c.create) {
        const removed = await group.delete(`${c.path}/${id}`);
        expect(removed.status).toBe(204);
        const after = await group.get(`${c.path}/${id}`);
        if (c.softDelete) expect(after.body.revokedAt).toEqual(expect.any(String));
        else expect(after.status).toBe(404);
      }
    });

    if (c.create) {
      it('rejects an invalid body with field errors', async () => {
        const response = await group.post(c.path, { bogusField: 1 });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('validation_failed');
        expect((response.body.errors as unknown[]).length).toBeGreaterThan(0);
      });
    }

    if (c.update) {
      it('rejects an invalid update with field errors', async () => {
        const id = c.existingA
          ? c.existingA(world)
          : String((await group.post(c.path, c.create!(world, 2))).body.id);
        const response = await group.patch(`${c.path}/${id}`, { bogusField: 1 });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('validation_failed');
      });
    }

    it('answers 404 to a subsidiary admin for the other subsidiary’s object, on every endpoint', async () => {
      const id = idInB(c);
      expect(id).not.toBe('');
      expect((await subA.get(`${c.path}/${id}`)).status).toBe(404);
      const list = await subA.get<{ items: Json[] }>(`${c.path}?limit=200`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((item) => item.id)).not.toContain(id);
      const filtered = await subA.get<{ items: Json[] }>(
        `${c.path}?limit=200&tenantId=${world.family.subB.id}`,
      );
      if (c.path !== '/tenants') expect(filtered.body.items).toEqual([]);
      expect((await subA.patch(`${c.path}/${id}`, c.update ?? {})).status).toBe(404);
      expect((await subA.delete(`${c.path}/${id}`)).status).toBe(404);
      if (c.createInB) expect((await subA.post(c.path, c.createInB(world))).status).toBe(404);
    });
  });

  it('answers 404 on every action endpoint for the other subsidiary’s objects', async () => {
    const b = world.b;
    const calls: [string, string, unknown?][] = [
      ['post', `/connections/${b.connection.id}/check`],
      ['post', `/connections/${b.connection.id}/preview-mapping`, {}],
      ['post', `/connections/${b.connection.id}/dry-run`, {}],
      ['post', `/connections/${b.connection.id}/run`, {}],
      ['post', `/connections/${b.connection.id}/pause`],
      ['post', `/connections/${b.connection.id}/resume`],
      ['post', `/approvals/${b.approval.id}/approve`, {}],
      ['post', `/approvals/${b.approval.id}/reject`, {}],
      ['post', `/people/${b.person.id}/provision`, {}],
      ['post', `/people/${b.person.id}/revoke-sessions`, {}],
      ['post', `/people/${b.person.id}/invitation`, {}],
      ['get', `/people/${b.person.id}/access`],
      ['get', `/sync-runs/${b.run.id}/progress`],
      ['post', `/sync-runs/${b.run.id}/cancel`],
      ['post', '/role-rules/preview', { tenantId: world.family.subB.id, condition: { always: true } }],
    ];
    for (const [method, path, body] of calls) {
      const response = method === 'get' ? await subA.get(path) : await subA.post(path, body ?? {});
      expect([path, response.status]).toEqual([path, 404]);
    }
  });

  it('shows generated and stored secrets never, or once', async () => {
    const app = await group.post('/applications', {
      tenantId: world.family.subA.id,
      protocol: 'oidc',
      slug: 'payroll',
      name: 'Payroll',
      oidc: { redirectUris: ['https://payroll.example.com/cb'] },
    });
    expect(app.body.clientSecretValue).toEqual(expect.any(String));
    const secret = String(app.body.clientSecretValue);
    const read = await group.get(`/applications/${String(app.body.id)}`);
    expect(read.body.clientSecret).toEqual({ set: true });
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const rotated = await group.post(`/applications/${String(app.body.id)}/rotate-secret`);
    expect(rotated.body.clientSecretValue).toEqual(expect.any(String));
    expect(rotated.body.clientSecretValue).not.toBe(secret);
    const idp = await group.post('/identity-providers', {
      tenantId: world.family.subA.id,
      kind: 'ldap',
      slug: 'ad',
      name: 'AD',
      config: {
        url: 'ldap://127.0.0.1:3890',
        baseDn: 'dc=acme,dc=example',
        bindDn: 'cn=svc,dc=acme,dc=example',
      },
      secrets: { bindPassword: 'hunter2-bind' },
    });
    expect(idp.status).toBe(201);
    expect(idp.body.secrets).toEqual({ bindPassword: { set: true } });
    const audit = await group.get(`/audit-events/export?targetId=${String(idp.body.id)}`);
    expect(String(audit.body)).toContain('identity_provider.create');
    expect(String(audit.body)).not.toContain('hunter2-bind');
    expect(
      JSON.stringify((await group.get(`/identity-providers/${String(idp.body.id)}`)).body),
    ).not.toContain('hunter2');
    const changed = await group.patch(`/identity-providers/${String(idp.body.id)}`, {
      name: 'Active Directory',
    });
    expect(changed.body.secrets).toEqual({ bindPassword: { set: true } });
    const bad = await group.patch(`/identity-providers/${String(idp.body.id)}`, {
      config: { url: 'http://not-ldap' },
    });
    expect(bad.status).toBe(400);
  });

  it('isolates sync events and audit events too', async () => {
    expect((await subA.get(`/sync-runs/${world.b.run.id}/events`)).status).toBe(404);
    const own = await subA.get<{ items: Json[] }>(`/sync-runs/${world.a.run.id}/events`);
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(1);
    const audit = await group.get<{ items: Json[] }>(
      `/audit-events?tenantId=${world.family.subB.id}&limit=200`,
    );
    expect(audit.body.items.length).toBeGreaterThan(0);
    const someB = String(audit.body.items[0]!.id);
    expect((await subA.get(`/audit-events/${someB}`)).status).toBe(404);
    const mine = await subA.get<{ items: Json[] }>('/audit-events?limit=200');
    expect(mine.body.items.length).toBeGreaterThan(0);
    const outside = [world.family.subB.id, world.family.group.id];
    expect(mine.body.items.filter((e) => outside.includes(String(e.tenantId)))).toEqual([]);
  });
});
