import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../core/db/data-source.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { readServices } from './services.js';

export interface TestDatabase {
  url: string;
  name: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, copied from the migrated template (fast), or empty with `{ empty: true }`
 * for tests of the migrations themselves.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const services = readServices();
  const name = `junction_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(
    services.adminUrl,
    options.empty
      ? `CREATE DATABASE ${name}`
      : `CREATE DATABASE ${name} TEMPLATE ${services.templateDatabase}`,
  );
  const url = databaseUrl(services.adminUrl, name);
  const dataSource = createDataSource({
    url,
    migrations: MIGRATIONS,
    poolSize: 5,
    applicationName: 'junction-test',
  });
  await dataSource.initialize();
  return {
    url,
    name,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(services.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
