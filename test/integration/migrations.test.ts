import { migrate } from '../../bin/runtime/database.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('apply to an empty database and a second run applies nothing', async () => {
    const first = await migrate(db.dataSource);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrate(db.dataSource)).toEqual([]);
  });

  it('agree with the entities: generating a migration after migrating yields nothing', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('enforce one account per person per connection and one person per source record', async () => {
    const ds = db.dataSource;
    const [tenant] = (await ds.query(
      `INSERT INTO tenants (slug, name, version) VALUES ('t', 'T', 1) RETURNING id`,
    )) as [{ id: string }];
    const [conn] = (await ds.query(
      `INSERT INTO connections (tenant_id, connector_id, slug, name, direction, version) VALUES ($1, 'scim', 'c', 'C', 'target', 1) RETURNING id`,
      [tenant.id],
    )) as [{ id: string }];
    const insertPerson = (): Promise<unknown> =>
      ds.query(
        `INSERT INTO people (tenant_id, source_connection_id, external_id, display_name, version) VALUES ($1, $2, 'e1', 'P', 1) RETURNING id`,
        [tenant.id, conn.id],
      );
    const [person] = (await insertPerson()) as [{ id: string }];
    await expect(insertPerson()).rejects.toThrow(/duplicate key/);
    const insertAccount = (externalId: string): Promise<unknown> =>
      ds.query(
        `INSERT INTO accounts (tenant_id, connection_id, person_id, external_id, version) VALUES ($1, $2, $3, $4, 1)`,
        [tenant.id, conn.id, person.id, externalId],
      );
    await insertAccount('a1');
    await expect(insertAccount('a2')).rejects.toThrow(/duplicate key/);
  });
});
