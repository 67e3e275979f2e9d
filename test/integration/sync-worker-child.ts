import { NativeConnection } from '@temporalio/worker';
import { createDataSource } from '../../core/db/data-source.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { installTemporalRuntime } from '../../workers/temporal-runtime.js';
import { createJunctionWorker } from '../../workers/worker.js';
import { testOpener } from './sync-world.js';

/**
 * A real Junction worker in its own process (the SIGKILL test kills it). Environment: DATABASE_URL,
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, JUNCTION_MASTER_KEY (hex), WORKFLOW_BUNDLE.
 */
const env = process.env;
const log = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'child-worker' });
installTemporalRuntime(log);
const dataSource = createDataSource({
  url: env.DATABASE_URL ?? '',
  poolSize: 4,
  applicationName: 'child-worker',
});
await dataSource.initialize();
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS ?? '' });
const worker = await createJunctionWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env.TEMPORAL_TASK_QUEUE ?? '',
  deps: {
    dataSource,
    log,
    openConnector: testOpener(new Vault(Buffer.from(env.JUNCTION_MASTER_KEY ?? '', 'hex'))),
    tuning: { pageSize: Number(env.SYNC_PAGE_SIZE ?? 50), writeConcurrency: 4 },
  },
  workflowBundle: { codePath: env.WORKFLOW_BUNDLE ?? '' },
});
process.stdout.write('ready\n');
await worker.run();
