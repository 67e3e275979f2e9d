import { Client } from '@temporalio/client';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { connectClient, temporalTarget } from '../../workers/temporal-connection.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { startDevTemporal } from '../embedded/temporal.js';
import { migrate, openDatabase } from '../runtime/database.js';
import { Lifecycle } from '../runtime/lifecycle.js';
import { openVault } from '../runtime/master-key.js';
import { runGateway } from '../runtime/run-gateway.js';
import { runWorker } from '../runtime/run-worker.js';

/**
 * The embedded default: one command on a fresh machine. Starts what is not configured (PostgreSQL when
 * DATABASE_URL is unset, the Temporal dev server when TEMPORAL_ADDRESS is unset), migrates, then runs the worker and
 * the gateway in this process. Ctrl-C stops all of it.
 */
export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  const life = new Lifecycle(log);
  life.handleSignals();
  try {
    const vault = openVault(config, 'embedded');

    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embedded.postgresPort,
        log,
      });
      life.add('postgres', postgres.stop);
      databaseUrl = postgres.url;
    }

    let temporalAddress = config.temporal.address;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const temporal = await startDevTemporal({
        log,
        dataDir: config.dataDir,
        port: config.embedded.temporalPort,
        uiPort: config.embedded.temporalPort + 1000,
        namespace: config.temporal.namespace,
      });
      life.add('temporal', temporal.stop);
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }

    const dataSource = await openDatabase(databaseUrl, 'junction-start');
    life.add('database', () => dataSource.destroy());
    const applied = await migrate(dataSource);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');

    const target = temporalTarget(config, temporalAddress);
    // The demo's simulators start before the worker so that they stop after it (the lifecycle stops in reverse).
    // Imported here, not at the top: the demo uses the SSO stack, whose import prints oidc-provider's runtime
    // notice, and configuration errors above must stay one line.
    const { prepareDemo } = await import('../demo/run-demo.js');
    const demo = await prepareDemo({
      dataSource,
      seed: config.embedded.seedDemo,
      basePort: config.embedded.demoSimulatorBasePort,
      publicUrl: config.publicUrl,
      log,
    });
    if (demo) life.add('demo simulators', demo.stop);
    const worker = await runWorker({ target, dataSource, log, vault, publicUrl: config.publicUrl });
    life.add('worker', worker.stop);
    const gateway = await runGateway({
      target,
      dataSource,
      log,
      port: config.port,
      publicUrl: config.publicUrl,
      vault,
    });
    life.add('gateway', gateway.stop);

    let demoLines: string[] = [];
    if (demo) {
      const connection = await connectClient(target);
      life.add('demo Temporal client', () => connection.close());
      const report = await demo.activate({
        dataSource,
        vault,
        temporal: {
          client: new Client({ connection, namespace: target.namespace }),
          taskQueue: target.taskQueue,
        },
        log,
        publicUrl: config.publicUrl,
        dataDir: config.dataDir,
      });
      demoLines = report.lines;
    }

    const lines = [
      '',
      'Junction is running.',
      `  Gateway     ${config.publicUrl}`,
      `  Health      ${config.publicUrl}/healthz`,
      `  Metrics     ${config.publicUrl}/metrics`,
      `  Temporal    ${temporalAddress}${temporalUi ? `  (UI ${temporalUi})` : ''}`,
      `  Database    ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL, data in ${config.dataDir}/postgres`}`,
      ...(demoLines.length > 0 ? ['', ...demoLines] : []),
      '',
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } catch (error) {
    await life.stopAll();
    throw error;
  }
}
