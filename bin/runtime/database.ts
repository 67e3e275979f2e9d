import type { DataSource } from 'typeorm';
import { createDataSource, initialiseDataSource } from '../../core/db/data-source.js';
import { MIGRATIONS } from '../../migrations/index.js';

/** Opens the database for a process that also migrates it. */
export async function openDatabase(
  url: string,
  applicationName: string,
  poolSize?: number,
): Promise<DataSource> {
  return initialiseDataSource(
    createDataSource({ url, migrations: MIGRATIONS, applicationName, ...(poolSize ? { poolSize } : {}) }),
  );
}

/** Any fixed number works; it only has to be the same for every Junction process. */
const MIGRATION_LOCK_KEY = 7_240_611;

/**
 * Applies pending migrations. An advisory lock makes concurrent starts (several replicas) take turns, so each
 * migration runs once; running it again finds nothing pending.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
