import type { DataSource } from 'typeorm';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type TenantFamily,
} from './api-harness.js';

/**
 * Another admin's write, left open in its own transaction, bumping the row's version. A request whose If-Match
 * check already passed then meets it at its write: the write must wait for it and then be refused (412), never
 * overwrite it. Handlers whose write runs outside the read's transaction depend on the write being conditional.
 */
async function openConcurrentEdit(ds: DataSource, sql: string, params: unknown[]) {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(sql, params);
  return {
    commit: async () => {
      await runner.commitTransaction();
      await runner.release();
    },
  };
}

/** Waits until some other session is blocked on a row lock (the API request reached its write). */
async function untilBlockedOnLock(ds: DataSource): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [{ waiting }] = (await ds.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    )) as [{ waiting: number }];
    if (waiting > 0) return;
    if (Date.now() > deadline) throw new Error('the API request never reached its write');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('If-Match holds at the write, not only at the check', () => {
  let ctx: ApiTestContext;
  let family: TenantFamily;
  let admin: ApiClient;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    family = await seedTenantFamily(ctx.db.dataSource, 'ifmatch');
    admin = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin'),
    );
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function manualAssignment(n: number): Promise<{ id: string; etag: string; personId: string }> {
    const [person] = (await ctx.db.dataSource.query(
      `INSERT INTO people (tenant_id, display_name, status, version) VALUES ($1, $2, 'active', 1) RETURNING id`,
      [family.subA.id, `Person ${n}`],
    )) as { id: string }[];
    const role = await admin.post('/roles', {
      tenantId: family.subA.id,
      key: `cover-${n}`,
      name: `Cover ${n}`,
    });
    expect(role.status).toBe(201);
    const assigned = await admin.post('/role-assignments', {
      personId: person!.id,
      roleId: role.body.id,
      reason: 'covering a leave',
    });
    expect(assigned.status).toBe(201);
    return { id: String(assigned.body.id), etag: assigned.headers.get('etag') ?? '', personId: person!.id };
  }

  it('a manual assignment changed by another admin meanwhile is not overwritten by a PATCH', async () => {
    const { id, etag } = await manualAssignment(1);
    const other = await openConcurrentEdit(
      ctx.db.dataSource,
      `UPDATE role_assignments SET reason = 'extended by the other admin', version = version + 1 WHERE id = $1`,
      [id],
    );
    const patch = admin.patch(`/role-assignments/${id}`, { reason: 'ended early' }, { 'if-match': etag });
    await untilBlockedOnLock(ctx.db.dataSource);
    await other.commit();
    const response = await patch;
    expect(response.status).toBe(412);
    expect(response.body).toMatchObject({ code: 'precondition_failed', currentEtag: '"2"' });
    const now = await admin.get(`/role-assignments/${id}`);
    expect(now.body).toMatchObject({ reason: 'extended by the other admin' });
  });

  it('a manual assignment changed by another admin meanwhile is not deleted by a DELETE', async () => {
    const { id, etag } = await manualAssignment(2);
    const other = await openConcurrentEdit(
      ctx.db.dataSource,
      `UPDATE role_assignments SET reason = 'extended', version = version + 1 WHERE id = $1`,
      [id],
    );
    const removal = admin.delete(`/role-assignments/${id}`, { 'if-match': etag });
    await untilBlockedOnLock(ctx.db.dataSource);
    await other.commit();
    expect((await removal).status).toBe(412);
    expect((await admin.get(`/role-assignments/${id}`)).status).toBe(200);
    // With the current ETag the same request goes through.
    expect((await admin.delete(`/role-assignments/${id}`, { 'if-match': '"2"' })).status).toBe(204);
  });

  it("an identity provider changed by another admin meanwhile keeps that admin's change", async () => {
    const created = await admin.post('/identity-providers', {
      tenantId: family.subA.id,
      kind: 'ldap',
      slug: 'ad',
      name: 'AD',
      config: {
        url: 'ldap://127.0.0.1:3890',
        baseDn: 'dc=acme,dc=example',
        bindDn: 'cn=svc,dc=acme,dc=example',
      },
      secrets: { bindPassword: 'first-password' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const etag = created.headers.get('etag') ?? '';
    const other = await openConcurrentEdit(
      ctx.db.dataSource,
      `UPDATE identity_providers SET name = 'Renamed by the other admin', version = version + 1 WHERE id = $1`,
      [id],
    );
    const patch = admin.patch(`/identity-providers/${id}`, { priority: 7 }, { 'if-match': etag });
    await untilBlockedOnLock(ctx.db.dataSource);
    await other.commit();
    const response = await patch;
    expect(response.status).toBe(412);
    expect(response.body).toMatchObject({ code: 'precondition_failed', currentEtag: '"2"' });
    const now = await admin.get(`/identity-providers/${id}`);
    expect(now.body).toMatchObject({ name: 'Renamed by the other admin' });
    expect(now.body.priority).not.toBe(7);
  });

  it('without If-Match an identity provider edit racing another is merged onto the newer row, not lost', async () => {
    const created = await admin.post('/identity-providers', {
      tenantId: family.subA.id,
      kind: 'ldap',
      slug: 'ad-2',
      name: 'AD 2',
      config: {
        url: 'ldap://127.0.0.1:3890',
        baseDn: 'dc=acme,dc=example',
        bindDn: 'cn=svc,dc=acme,dc=example',
      },
      secrets: { bindPassword: 'first-password' },
    });
    const id = String(created.body.id);
    const other = await openConcurrentEdit(
      ctx.db.dataSource,
      `UPDATE identity_providers SET name = 'Renamed meanwhile', version = version + 1 WHERE id = $1`,
      [id],
    );
    const patch = admin.patch(`/identity-providers/${id}`, { linkBy: 'verified_email' });
    await untilBlockedOnLock(ctx.db.dataSource);
    await other.commit();
    const response = await patch;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Renamed meanwhile', linkBy: 'verified_email' });
    expect(response.headers.get('etag')).toBe('"3"');
  });
});
