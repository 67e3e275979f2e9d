import { ApiToken, AuditEvent } from '../../core/entities/index.js';
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

describe('admin API foundation: auth, problems, paging, ETags, audit', () => {
  let ctx: ApiTestContext;
  let family: TenantFamily;
  let groupAdmin: ApiClient;
  let subAdmin: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    family = await seedTenantFamily(ctx.db.dataSource);
    groupAdmin = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin'),
    );
    subAdmin = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.subA.id, 'subsidiary_admin'),
    );
    auditor = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'auditor'),
    );
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('serves an OpenAPI 3.1 document without authentication', async () => {
    const response = await fetch(`${ctx.gateway.url}/api/v1/openapi.json`);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(response.status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/tenants', '/tenants/{id}']));
  });

  it('answers 401 problem documents without a valid token', async () => {
    for (const token of [undefined, 'nonsense', 'jat_' + 'x'.repeat(43)]) {
      const response = await apiClient(ctx.gateway.url, token).get('/tenants');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'unauthenticated', status: 401 });
    }
  });

  it('lists only the tenants a subsidiary admin may see', async () => {
    const all = await groupAdmin.get<{ items: Json[] }>('/tenants?sort=slug');
    expect(all.status).toBe(200);
    expect(all.body.items.map((t) => t.slug)).toEqual(['acme', 'acme-a', 'acme-b']);
    const mine = await subAdmin.get<{ items: Json[] }>('/tenants');
    expect(mine.body.items.map((t) => t.slug)).toEqual(['acme-a']);
    expect((await subAdmin.get(`/tenants/${family.subB.id}`)).status).toBe(404);
    expect((await subAdmin.get(`/tenants/${family.group.id}`)).status).toBe(404);
  });

  it('pages with a stable cursor and rejects a forged one', async () => {
    for (let i = 0; i < 7; i += 1) {
      const created = await groupAdmin.post('/tenants', {
        parentId: family.subB.id,
        slug: `page-${i}`,
        name: `Page ${i}`,
      });
      expect(created.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/tenants?limit=3&sort=-slug&parentId=${family.subB.id}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await groupAdmin.get<{ items: Json[]; nextCursor: string | null }>(query);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t) => String(t.slug)));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
    const forged = await groupAdmin.get('/tenants?cursor=bm9wZQ');
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('invalid_cursor');
    const wrongSort = await groupAdmin.get('/tenants?sort=bogus');
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.code).toBe('validation_failed');
  });

  it('names every bad field in a validation problem', async () => {
    const response = await groupAdmin.post('/tenants', {
      parentId: 'not-a-uuid',
      slug: 'Bad Slug',
      extra: 1,
    });
    expect(response.status).toBe(400);
    const errors = response.body.errors as { pointer: string }[];
    expect(errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['body.parentId', 'body.slug', 'body.name']),
    );
    const malformed = await groupAdmin.post('/tenants', '{not json');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_request');
  });

  it('refuses a stale If-Match with 412 and applies a fresh one', async () => {
    const read = await groupAdmin.get(`/tenants/${family.subA.id}`);
    const etag = read.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+"$/);
    const first = await groupAdmin.patch(
      `/tenants/${family.subA.id}`,
      { name: 'Acme A (renamed)' },
      { 'if-match': etag },
    );
    expect(first.status).toBe(200);
    const stale = await groupAdmin.patch(
      `/tenants/${family.subA.id}`,
      { name: 'lost update' },
      { 'if-match': etag },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed', currentEtag: first.headers.get('etag') });
  });

  it('lets an auditor read but not write (403), and a subsidiary admin not create tenants', async () => {
    expect((await auditor.get(`/tenants/${family.subB.id}`)).status).toBe(200);
    expect((await auditor.patch(`/tenants/${family.subB.id}`, { name: 'x' })).status).toBe(403);
    const created = await subAdmin.post('/tenants', {
      parentId: family.subA.id,
      slug: 'sub-sub',
      name: 'Sub sub',
    });
    expect(created.status).toBe(403);
  });

  it('narrows a token to its scopes, expires it, and never mints more than the minter holds', async () => {
    const readOnly = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin', ['read']),
    );
    expect((await readOnly.get(`/tenants/${family.subA.id}`)).status).toBe(200);
    expect((await readOnly.patch(`/tenants/${family.subA.id}`, { name: 'nope' })).status).toBe(403);

    const minted = await groupAdmin.post('/api-tokens', {
      kind: 'admin',
      tenantId: family.subB.id,
      name: 'short-lived',
      role: 'auditor',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(minted.status).toBe(201);
    const shortLived = apiClient(ctx.gateway.url, String(minted.body.token));
    expect((await shortLived.get('/tenants')).status).toBe(200);
    await ctx.db.dataSource
      .getRepository(ApiToken)
      .update({ id: String(minted.body.id) }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await shortLived.get('/tenants')).status).toBe(401);

    const escalation = await subAdmin.post('/api-tokens', {
      kind: 'admin',
      tenantId: family.subA.id,
      name: 'escalate',
      role: 'group_admin',
    });
    expect(escalation.status).toBe(403);
    const allowed = await subAdmin.post('/api-tokens', {
      kind: 'admin',
      tenantId: family.subA.id,
      name: 'ci',
      role: 'connector_operator',
    });
    expect(allowed.status).toBe(201);
    const list = await subAdmin.get<{ items: Json[] }>('/api-tokens');
    expect(JSON.stringify(list.body)).not.toContain(String(allowed.body.token));
  });

  it('maps a duplicate unique value to 409', async () => {
    const response = await groupAdmin.post('/tenants', {
      parentId: family.group.id,
      slug: 'acme-a',
      name: 'Dup',
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('conflict');
  });

  it('writes an audit event for every change, with actor, before and after', async () => {
    const events = await ctx.db.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'tenant.update', targetId: family.subA.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: 'api_token', tenantId: family.subA.id });
    expect(events[0]!.before).toMatchObject({ name: 'acme A' });
    expect(events[0]!.after).toMatchObject({ name: 'Acme A (renamed)' });
    expect(events[0]!.ip).toBeTruthy();
  });
});
