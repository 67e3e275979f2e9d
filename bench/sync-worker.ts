import { appendFileSync } from 'node:fs';
import { bamboohrConnector } from '../connectors/bamboohr/index.js';
import type { RegisteredConnector } from '../connectors/kit/contract.js';
import { openConnector } from '../connectors/open-connector.js';
import { findConnector } from '../connectors/registry.js';
import { scimConnector } from '../connectors/scim/index.js';
import { wecomConnector } from '../connectors/wecom/index.js';
import { createDataSource } from '../core/db/data-source.js';
import { createLogger } from '../core/logger.js';
import { Vault } from '../core/vault/vault.js';
import { connectWorker } from '../workers/temporal-connection.js';
import { installTemporalRuntime } from '../workers/temporal-runtime.js';
import { createJunctionWorker } from '../workers/worker.js';

/**
 * A Junction worker as its own process, for the sync benchmark (its peak RSS is the figure) and the SIGKILL test.
 * Environment: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, JUNCTION_MASTER_KEY (hex),
 * optional SYNC_PAGE_SIZE. Prints "ready" once polling.
 */
const EXTRA: Record<string, RegisteredConnector> = {
  bamboohr: bamboohrConnector,
  wecom: wecomConnector,
  scim: scimConnector,
};

async function main(): Promise<void> {
  const env = process.env;
  const log = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'bench-worker' });
  installTemporalRuntime(log);
  const vault = new Vault(Buffer.from(env.JUNCTION_MASTER_KEY ?? '', 'hex'));
  const dataSource = createDataSource({
    url: env.DATABASE_URL ?? '',
    poolSize: 8,
    applicationName: 'bench-worker',
  });
  await dataSource.initialize();
  const connection = await connectWorker({
    address: env.TEMPORAL_ADDRESS ?? '',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'junction',
  });
  const worker = await createJunctionWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'junction',
    deps: {
      dataSource,
      log,
      openConnector: (row, options) =>
        openConnector(row, {
          vault,
          log: options.log,
          findConnector: (id) => findConnector(id) ?? EXTRA[id],
        }).instance,
      tuning: { pageSize: Number(env.SYNC_PAGE_SIZE ?? 500) },
    },
    ...(env.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE } } : {}),
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  const memoryLog = env.BENCH_MEMORY_LOG ? logMemory(env.BENCH_MEMORY_LOG) : null;
  const stop = (): void => worker.shutdown();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await running;
  if (memoryLog) clearInterval(memoryLog);
  await connection.close();
  await dataSource.destroy();
}

/**
 * BENCH_MEMORY_LOG=<file>: the worker's memory every 5 s as JSON lines (RSS against the V8 heap, buffers and
 * native memory), to tell a growing heap from memory the runtime merely keeps.
 */
function logMemory(file: string): NodeJS.Timeout {
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({
        at: new Date().toISOString(),
        rss: mb(m.rss),
        heapUsed: mb(m.heapUsed),
        heapTotal: mb(m.heapTotal),
        external: mb(m.external),
        arrayBuffers: mb(m.arrayBuffers),
      })}\n`,
    );
  }, 5_000);
  timer.unref();
  return timer;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
