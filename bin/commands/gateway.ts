import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { temporalTarget } from '../../workers/temporal-connection.js';
import { openDatabase } from '../runtime/database.js';
import { Lifecycle } from '../runtime/lifecycle.js';
import { openVault } from '../runtime/master-key.js';
import { runGateway } from '../runtime/run-gateway.js';

/** Distributed mode: one stateless gateway replica against a PostgreSQL server and a Temporal cluster. */
export async function gatewayCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError('DATABASE_URL', 'is not set (only `junction start` runs an embedded PostgreSQL)');
  const target = temporalTarget(config);
  const vault = openVault(config, 'distributed');
  const log = createLogger({ level: config.logLevel, name: 'junction-gateway' });
  const life = new Lifecycle(log);
  life.handleSignals();
  const dataSource = await openDatabase(config.databaseUrl, 'junction-gateway');
  life.add('database', () => dataSource.destroy());
  const gateway = await runGateway({
    target,
    dataSource,
    log,
    port: config.port,
    publicUrl: config.publicUrl,
    vault,
  });
  life.add('gateway', gateway.stop);
}
