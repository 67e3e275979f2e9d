import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { migrate, openDatabase } from '../runtime/database.js';

/** Applies pending migrations to DATABASE_URL, or to the embedded cluster when it is unset. Safe to repeat. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  let stopPostgres: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const postgres = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embedded.postgresPort,
      log,
    });
    url = postgres.url;
    stopPostgres = postgres.stop;
  }
  try {
    const dataSource = await openDatabase(url, 'junction-migrate', 2);
    try {
      const applied = await migrate(dataSource);
      process.stdout.write(
        applied.length === 0 ? 'No pending migrations.\n' : `Applied: ${applied.join(', ')}\n`,
      );
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await stopPostgres?.();
  }
}
