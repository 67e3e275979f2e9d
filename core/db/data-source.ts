import { DataSource, type MigrationInterface } from 'typeorm';
import { ENTITIES } from '../entities/index.js';
import { describeDatabaseError } from './describe-database-error.js';
import { SnakeNamingStrategy } from './snake-naming-strategy.js';

export interface DataSourceOptions {
  url: string;
  /** Migration classes; only the processes that migrate need them (see migrations/index.ts). */
  migrations?: (new () => MigrationInterface)[];
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
}

/** The one way Junction talks to PostgreSQL. The schema comes from migrations only: `synchronize` stays off. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: options.migrations ?? [],
    migrationsTableName: 'junction_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension (and no superuser) is needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
    applicationName: options.applicationName ?? 'junction',
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 },
  });
}

/** Opens the DataSource, turning "could not connect" into one line that names DATABASE_URL. */
export async function initialiseDataSource(dataSource: DataSource): Promise<DataSource> {
  try {
    return await dataSource.initialize();
  } catch (error) {
    throw describeDatabaseError(error);
  }
}
