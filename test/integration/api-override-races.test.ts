import type { DataSource } from 'typeorm';
import { keepOverridden, shadowSourceValues } from '../../workers/access/override-columns.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type TenantFamily,
} from './api-harness.js';

/** The columns this test's "HR page" writes, through the same override-respecting SQL the source sync uses. */
const COLUMNS = { jobTitle: 'job_title', location: 'location' };

/** One sync page's upsert of one person (see source-people-page.ts), left open in `ds`'s own transaction. */
async function openSyncUpsert(ds: DataSource, tenantId: string, connectionId: string, jobTitle: string) {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(
    `INSERT INTO people (tenant_id, source_connection_id, external_id, display_name, job_title, location, version)
     VALUES ($1, $2, 'e-1', 'Ada Lovelace', $3, 'London', 1)
     ON CONFLICT (source_connection_id, external_id) DO UPDATE SET
       ${keepOverridden('people', COLUMNS)}, ${shadowSourceValues('people', COLUMNS)},
       updated_at = now(), version = people.version + 1`,
    [tenantId, connectionId, jobTitle],
  );
  return {
    commit: async () => {
      await runner.commitTransaction();
      await runner.release();
    },
  };
}

/**
 * An admin's override and a source sync page writing the same person at the same time: neither loses the other's
 * write, and an admin who read an older version is told so (412) instead of overwriting blind.
 */
describe('overrides racing a source sync', () => {
  let ctx: ApiTestContext;
  let family: TenantFamily;
  let admin: ApiClient;
  let connectionId: string;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    family = await seedTenantFamily(ctx.db.dataSource, 'race');
    admin = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin'),
    );
    const source = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'scim-inbound',
      slug: 'hr',
      name: 'HR',
      direction: 'source',
    });
    expect(source.status).toBe(201);
    connectionId = String(source.body.id);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function freshPerson(): Promise<string> {
    const ds = ctx.db.dataSource;
    await ds.query(`DELETE FROM people WHERE source_connection_id = $1`, [connectionId]);
    const first = await openSyncUpsert(ds, family.subA.id, connectionId, 'Engineer');
    await first.commit();
    const [row] = (await ds.query(`SELECT id FROM people WHERE source_connection_id = $1`, [
      connectionId,
    ])) as {
      id: string;
    }[];
    return row!.id;
  }

  it('an override waits for a sync page writing the same person, and keeps what that page said as the source value', async () => {
    const id = await freshPerson();
    const sync = await openSyncUpsert(ctx.db.dataSource, family.subA.id, connectionId, 'Staff Engineer');
    let settled = false;
    const patch = admin.patch(`/people/${id}`, { set: { jobTitle: 'Principal' } }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(settled).toBe(false);
    await sync.commit();
    const response = await patch;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      jobTitle: 'Principal',
      overrides: { jobTitle: 'Principal' },
      // HR's value at the time of the override is the one the sync page committed, not the one before it.
      sourceValues: { jobTitle: 'Staff Engineer' },
      version: 3,
    });
    const cleared = await admin.patch(`/people/${id}`, { clear: ['jobTitle'] });
    expect(cleared.body).toMatchObject({ jobTitle: 'Staff Engineer', overrides: {}, sourceValues: {} });
  });

  it('a PATCH with the ETag read before a sync page changed the person is refused with precondition_failed', async () => {
    const id = await freshPerson();
    const read = await admin.get(`/people/${id}`);
    const etag = read.headers.get('etag') ?? '';
    expect(etag).toBe('"1"');
    const sync = await openSyncUpsert(ctx.db.dataSource, family.subA.id, connectionId, 'Staff Engineer');
    await sync.commit();
    const stale = await admin.patch(`/people/${id}`, { set: { location: 'Paris' } }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed', currentEtag: '"2"' });
    const after = await admin.get(`/people/${id}`);
    expect(after.body).toMatchObject({ location: 'London', jobTitle: 'Staff Engineer', overrides: {} });
  });
});
