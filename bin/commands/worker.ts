import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { temporalTarget } from '../../workers/temporal-connection.js';
import { openDatabase } from '../runtime/database.js';
import { Lifecycle } from '../runtime/lifecycle.js';
import { openVault } from '../runtime/master-key.js';
import { runWorker } from '../runtime/run-worker.js';

/** Distributed mode: one worker replica polling the task queue. Run as many as the load needs. */
export async function workerCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError('DATABASE_URL', 'is not set (only `junction start` runs an embedded PostgreSQL)');
  const target = temporalTarget(config);
  const vault = openVault(config, 'distributed');
  const log = createLogger({ level: config.logLevel, name: 'junction-worker' });
  const life = new Lifecycle(log);
  life.handleSignals();
  const dataSource = await openDatabase(config.databaseUrl, 'junction-worker');
  life.add('database', () => dataSource.destroy());
  const worker = await runWorker({ target, dataSource, log, vault, publicUrl: config.publicUrl });
  life.add('worker', worker.stop);
}
