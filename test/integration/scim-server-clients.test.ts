import { Connection, Person } from '../../core/entities/index.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiTestContext,
  scimClient,
  type Json,
  type ScimCall,
  type TenantFamily,
} from './api-harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * The inbound SCIM server driven the way Okta and Microsoft Entra drive it (their documented request sequences),
 * against real PostgreSQL. The quirks each client is known for are part of the sequences.
 */
describe('inbound SCIM server', () => {
  let ctx: ApiTestContext;
  let family: TenantFamily;
  let connection: Connection;
  let token: string;

  let scim: ScimCall;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    scim = scimClient(ctx.gateway.url, () => token);
    const ds = ctx.db.dataSource;
    family = await seedTenantFamily(ds);
    connection = await ds.getRepository(Connection).save(
      ds.getRepository(Connection).create({
        tenantId: family.subA.id,
        connectorId: 'scim-inbound',
        slug: 'okta',
        name: 'Okta',
        direction: 'source',
        config: {},
      }),
    );
    const admin = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    const minted = await admin.post('/api-tokens', {
      kind: 'scim',
      connectionId: connection.id,
      name: 'Okta provisioning',
    });
    expect(minted.status).toBe(201);
    token = String(minted.body.token);
    expect(token).toMatch(/^jst_/);
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('serves discovery documents', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      etag: { supported: true },
    });
    const types = await scim('GET', '/ResourceTypes');
    expect((types.body.Resources as Json[]).map((r) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim('GET', '/Schemas');
    expect((schemas.body.Resources as Json[]).map((r) => r.id)).toEqual(
      expect.arrayContaining([USER, ENTERPRISE]),
    );
    expect((await scim('GET', `/Schemas/${USER}`)).status).toBe(200);
  });

  it('refuses missing, wrong-kind and revoked tokens with SCIM errors', async () => {
    const none = await fetch(`${ctx.gateway.url}/scim/v2/Users`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(((await none.json()) as Json).schemas).toEqual([ERROR]);
    const adminToken = await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin');
    expect((await scim('GET', '/Users', undefined, {}, adminToken)).status).toBe(401);
    const admin = apiClient(ctx.gateway.url, adminToken);
    const spare = await admin.post('/api-tokens', {
      kind: 'scim',
      connectionId: connection.id,
      name: 'spare',
    });
    expect((await scim('GET', '/Users', undefined, {}, String(spare.body.token))).status).toBe(200);
    expect((await admin.delete(`/api-tokens/${String(spare.body.id)}`)).status).toBe(204);
    expect((await scim('GET', '/Users', undefined, {}, String(spare.body.token))).status).toBe(401);
  });

  it('Okta sequence: look up, create, replace, push a group with members, deactivate', async () => {
    const lookup = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "alice@acme.example"')}&startIndex=1&count=100`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'alice@acme.example',
      name: { givenName: 'Alice', familyName: 'Archer' },
      emails: [{ primary: true, value: 'Alice@Acme.example', type: 'work' }],
      displayName: 'Alice Archer',
      locale: 'en-US',
      externalId: '00u1abcd',
      groups: [],
      password: 'ignored-by-junction',
      active: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect(created.headers.get('location')).toContain(`/scim/v2/Users/${String(created.body.id)}`);
    const id = String(created.body.id);
    expect(created.body).toMatchObject({
      userName: 'alice@acme.example',
      active: true,
      externalId: '00u1abcd',
    });

    const person = await ctx.db.dataSource.getRepository(Person).findOneByOrFail({ id });
    expect(person).toMatchObject({
      tenantId: family.subA.id,
      sourceConnectionId: connection.id,
      externalId: '00u1abcd',
      email: 'alice@acme.example',
      givenName: 'Alice',
      status: 'active',
    });

    const duplicate = await scim('POST', '/Users', { schemas: [USER], userName: 'ALICE@acme.example' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ schemas: [ERROR], scimType: 'uniqueness' });

    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ALICE@ACME.EXAMPLE"')}`,
    );
    expect(found.body.totalResults).toBe(1);

    const replaced = await scim('PUT', `/Users/${id}`, {
      schemas: [USER, ENTERPRISE],
      id,
      userName: 'alice@acme.example',
      name: { givenName: 'Alice', familyName: 'Archer-Smith' },
      emails: [{ primary: true, value: 'alice@acme.example', type: 'work' }],
      title: 'Engineer',
      active: true,
      [ENTERPRISE]: { employeeNumber: 'OK-1001', department: 'Engineering' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      title: 'Engineer',
      [ENTERPRISE]: { employeeNumber: 'OK-1001', department: 'Engineering' },
    });

    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [{ value: id, display: 'alice@acme.example' }],
    });
    expect(group.status).toBe(201);
    expect(group.body.members).toEqual([expect.objectContaining({ value: id })]);
    const groupId = String(group.body.id);
    const user = await scim('GET', `/Users/${id}`);
    expect(user.body.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Engineering' })]);

    const removed = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
    });
    expect(removed.status).toBe(200);
    expect(removed.body.members).toEqual([]);
    const added = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: 'alice@acme.example' }] }],
    });
    expect(added.body.members).toEqual([expect.objectContaining({ value: id })]);

    const deactivated = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await ctx.db.dataSource.getRepository(Person).findOneByOrFail({ id })).status).toBe('inactive');

    const pushed = await scim('PUT', `/Groups/${groupId}`, { displayName: 'Engineering', members: [] });
    expect(pushed.status).toBe(200);
    expect(pushed.body.members).toEqual([]);
  });

  it('Entra sequence: string booleans, capitalised ops, filtered paths, dotted keys, concurrent member PATCHes', async () => {
    const manager = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: 'entra-mgr',
      userName: 'maria@acme.example',
      active: true,
      displayName: 'Maria Manager',
      emails: [{ primary: true, type: 'work', value: 'maria@acme.example' }],
      [ENTERPRISE]: { employeeNumber: 'EN-1', department: 'Sales' },
    });
    expect(manager.status).toBe(201);
    const created = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: 'entra-bob',
      userName: 'bob@acme.example',
      active: true,
      displayName: 'Bob Baker',
      emails: [{ primary: true, type: 'work', value: 'bob@acme.example' }],
      name: { formatted: 'Bob Baker', familyName: 'Baker', givenName: 'Bob' },
      [ENTERPRISE]: { employeeNumber: 'EN-2', department: 'Sales' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);

    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'robert@acme.example' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Marketing' },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: String(manager.body.id) },
        { op: 'Add', path: 'title', value: 'Account Executive' },
        { op: 'replace', value: { 'name.givenName': 'Robert', displayName: 'Robert Baker' } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      active: false,
      displayName: 'Robert Baker',
      title: 'Account Executive',
      emails: [expect.objectContaining({ value: 'robert@acme.example' })],
      name: expect.objectContaining({ givenName: 'Robert' }),
      [ENTERPRISE]: expect.objectContaining({
        department: 'Marketing',
        manager: expect.objectContaining({ value: manager.body.id }),
      }),
    });
    const person = await ctx.db.dataSource.getRepository(Person).findOneByOrFail({ id });
    expect(person).toMatchObject({
      status: 'inactive',
      email: 'robert@acme.example',
      managerId: manager.body.id,
      jobTitle: 'Account Executive',
    });

    const reactivated = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(reactivated.body.active).toBe(true);

    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Sales',
      externalId: 'grp-sales',
    });
    expect(group.status).toBe(201);
    const groupId = String(group.body.id);
    const members: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const made = await scim('POST', '/Users', {
        schemas: [USER],
        userName: `seller${i}@acme.example`,
        active: true,
        displayName: `Seller ${i}`,
      });
      members.push(String(made.body.id));
    }
    const concurrent = await Promise.all(
      members.map((member) =>
        scim('PATCH', `/Groups/${groupId}`, {
          schemas: [PATCH],
          Operations: [{ op: 'Add', path: 'members', value: [{ value: member }] }],
        }),
      ),
    );
    expect(concurrent.map((r) => r.status)).toEqual(members.map(() => 200));
    const full = await scim('GET', `/Groups/${groupId}`);
    expect((full.body.members as Json[]).map((m) => m.value).sort()).toEqual([...members].sort());

    const gone = members[0]!;
    for (let i = 0; i < 2; i += 1) {
      const removal = await scim('PATCH', `/Groups/${groupId}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: gone }] }],
      });
      expect(removal.status).toBe(200);
    }
    const filtered = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "Sales" and members[value eq "${members[1]!}"]`)}&excludedAttributes=members`,
    );
    expect(filtered.body.totalResults).toBe(1);
    expect((filtered.body.Resources as Json[])[0]!.members).toBeUndefined();

    const etag = full.headers.get('etag')!;
    const stale = await scim(
      'PATCH',
      `/Groups/${groupId}`,
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Sales EMEA' }] },
      { 'if-match': etag },
    );
    expect(stale.status).toBe(412);

    const deleted = await scim('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
    expect((await ctx.db.dataSource.getRepository(Person).findOneByOrFail({ id })).status).toBe('leaver');
    const again = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@acme.example',
      externalId: 'entra-bob',
      active: true,
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
  });

  it('pages, sorts and filters users', async () => {
    const page = await scim(
      'GET',
      `/Users?startIndex=2&count=3&sortBy=userName&filter=${encodeURIComponent('userName sw "seller"')}`,
    );
    expect(page.body).toMatchObject({ totalResults: 8, startIndex: 2, itemsPerPage: 3 });
    expect((page.body.Resources as Json[]).map((r) => r.userName)).toEqual([
      'seller1@acme.example',
      'seller2@acme.example',
      'seller3@acme.example',
    ]);
    const only = await scim('GET', '/Users?count=1&attributes=userName');
    expect(Object.keys((only.body.Resources as Json[])[0]!).sort()).toEqual(['id', 'schemas', 'userName']);
    const search = await scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'active eq true',
      count: 2,
    });
    expect(search.status).toBe(200);
    expect(search.body.itemsPerPage).toBe(2);
  });

  it('answers malformed input with 4xx SCIM errors, never 500', async () => {
    const cases: [string, string, unknown][] = [
      ['GET', `/Users?filter=${encodeURIComponent('userName eq')}`, undefined],
      ['GET', `/Users?filter=${encodeURIComponent('password eq "x"')}`, undefined],
      ['GET', '/Users?sortBy=password', undefined],
      ['POST', '/Users', '{not json'],
      ['POST', '/Users', [1, 2]],
      ['POST', '/Users', { userName: { nested: true } }],
      ['POST', '/Users', { userName: 'x@acme.example', active: 'maybe' }],
      ['POST', '/Users', { userName: 'x'.repeat(5000) }],
      ['PATCH', '/Users/00000000-0000-4000-8000-000000000000', { Operations: [] }],
      ['GET', '/Users/not-a-uuid', undefined],
      ['POST', '/Groups', { displayName: 'G', members: [{ value: 'nobody' }] }],
      ['POST', '/Groups', { displayName: 'G', members: 'nope' }],
    ];
    for (const [method, path, body] of cases) {
      const response = await scim(method, path, body);
      expect([method, path, response.status >= 400 && response.status < 500]).toEqual([method, path, true]);
      expect(response.body.schemas).toEqual([ERROR]);
    }
    const users = await scim('GET', '/Users?count=1');
    const id = String((users.body.Resources as Json[])[0]!.id);
    for (const operations of [
      [{ op: 'Frobnicate', path: 'active', value: true }],
      [{ op: 'replace', path: 'emails[type eq', value: 'x' }],
      [{ op: 'remove' }],
      [{ op: 'replace', path: 'active', value: 'perhaps' }],
      [{ op: 'replace', path: 'userName', value: null }],
    ]) {
      const response = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: operations });
      expect([JSON.stringify(operations), response.status]).toEqual([JSON.stringify(operations), 400]);
    }
  });
});
