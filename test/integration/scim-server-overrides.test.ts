import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  scimClient,
  type Json,
  type ScimCall,
} from './api-harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * A SCIM client is a source like HR: an admin's override wins over what it sends, and what it sends for an
 * overridden field is kept as the source value, so clearing the override brings back the client's latest value.
 */
describe('admin overrides on SCIM-provisioned people', () => {
  let ctx: ApiTestContext;
  let admin: ApiClient;
  let token: string;

  let scim: ScimCall;

  const user = (title: string, manager?: string) => ({
    schemas: [USER, ENTERPRISE],
    userName: 'ada@acme.example',
    externalId: 'ada',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ primary: true, value: 'ada@acme.example', type: 'work' }],
    title,
    active: true,
    [ENTERPRISE]: { department: 'Research', ...(manager ? { manager: { value: manager } } : {}) },
  });

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    scim = scimClient(ctx.gateway.url, () => token);
    const ds = ctx.db.dataSource;
    const family = await seedTenantFamily(ds, 'scimov');
    admin = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    const okta = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'scim-inbound',
      slug: 'okta',
      name: 'Okta',
      direction: 'source',
    });
    expect(okta.status).toBe(201);
    const minted = await admin.post('/api-tokens', {
      kind: 'scim',
      connectionId: okta.body.id,
      name: 'Okta',
    });
    token = String(minted.body.token);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('the client’s later title is what clearing the override restores, through PATCH and PUT', async () => {
    const created = await scim('POST', '/Users', user('Engineer'));
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const set = await admin.patch(`/people/${id}`, { set: { jobTitle: 'Principal' } });
    expect(set.body).toMatchObject({ jobTitle: 'Principal', sourceValues: { jobTitle: 'Engineer' } });

    // Entra-style PATCH with a capitalised op: the override stays, the client's new title is kept beneath it.
    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'title', value: 'Staff Engineer' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBe('Principal');
    let read = await admin.get(`/people/${id}`);
    expect(read.body).toMatchObject({ jobTitle: 'Principal', sourceValues: { jobTitle: 'Staff Engineer' } });

    // A PATCH of something else must not take the admin's title for the client's.
    await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Ada King' }],
    });
    read = await admin.get(`/people/${id}`);
    expect(read.body).toMatchObject({
      displayName: 'Ada King',
      jobTitle: 'Principal',
      sourceValues: { jobTitle: 'Staff Engineer' },
    });

    const put = await scim('PUT', `/Users/${id}`, user('Distinguished Engineer'));
    expect(put.status).toBe(200);
    read = await admin.get(`/people/${id}`);
    expect(read.body).toMatchObject({
      jobTitle: 'Principal',
      sourceValues: { jobTitle: 'Distinguished Engineer' },
    });

    const cleared = await admin.patch(`/people/${id}`, { clear: ['jobTitle'] });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      jobTitle: 'Distinguished Engineer',
      overrides: {},
      sourceValues: {},
    });
    const seen = await scim('GET', `/Users/${id}`);
    expect(seen.body.title).toBe('Distinguished Engineer');
  });

  it('a manager the client names by id comes back when the manager override is cleared', async () => {
    const boss = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'grace@acme.example',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      active: true,
    });
    const other = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'alan@acme.example',
      name: { givenName: 'Alan', familyName: 'Turing' },
      active: true,
    });
    const list = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@acme.example"')}`);
    const id = String((list.body.Resources as Json[])[0]?.id);
    await scim('PUT', `/Users/${id}`, user('Engineer', String(boss.body.id)));
    const set = await admin.patch(`/people/${id}`, { set: { managerId: String(other.body.id) } });
    expect(set.body).toMatchObject({ managerId: other.body.id, sourceValues: { managerId: boss.body.id } });
    const cleared = await admin.patch(`/people/${id}`, { clear: ['managerId'] });
    expect(cleared.body).toMatchObject({ managerId: boss.body.id, overrides: {} });
  });
});
