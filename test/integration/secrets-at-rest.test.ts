import { randomBytes } from 'node:crypto';
import { Connection, Tenant } from '../../core/entities/index.js';
import { Vault } from '../../core/vault/vault.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

describe('secrets at rest', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('stores a connection secret sealed: the raw column holds no plaintext and opens back', async () => {
    const vault = new Vault(randomBytes(32));
    const tenant = await db.dataSource
      .getRepository(Tenant)
      .save({ slug: 'acme', name: 'Acme', parentId: null, settings: {} });
    const repo = db.dataSource.getRepository(Connection);
    const connection = await repo.save({
      tenantId: tenant.id,
      connectorId: 'bamboohr',
      slug: 'hr',
      name: 'HR',
      direction: 'source',
      config: { companyDomain: 'acme' },
    });
    const plaintext = 'bamboo-api-key-7f3c9a';
    connection.secretsSealed = vault.sealJson({ apiKey: plaintext }, `connection:${connection.id}`);
    await repo.save(connection);

    const rows = (await db.dataSource.query(
      'SELECT secrets_sealed, config::text AS config FROM connections WHERE id = $1',
      [connection.id],
    )) as [{ secrets_sealed: string; config: string }];
    expect(rows[0].secrets_sealed).not.toContain(plaintext);
    expect(rows[0].secrets_sealed).not.toContain(Buffer.from(plaintext).toString('base64'));
    expect(rows[0].config).not.toContain(plaintext);
    expect(vault.openJson(rows[0].secrets_sealed, `connection:${connection.id}`)).toEqual({
      apiKey: plaintext,
    });
  });
});
