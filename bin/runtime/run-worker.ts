import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import { connectWorker, type TemporalTarget } from '../../workers/temporal-connection.js';
import { installTemporalRuntime } from '../../workers/temporal-runtime.js';
import { createJunctionWorker } from '../../workers/worker.js';

/** Starts a worker polling the task queue; `stop` drains in-flight tasks and closes the connection. */
export async function runWorker(options: {
  target: TemporalTarget;
  dataSource: DataSource;
  log: Logger;
}): Promise<{ stop: () => Promise<void> }> {
  installTemporalRuntime(options.log);
  const connection = await connectWorker(options.target);
  const worker = await createJunctionWorker({
    connection,
    namespace: options.target.namespace,
    taskQueue: options.target.taskQueue,
    deps: { dataSource: options.dataSource },
  });
  const running = worker.run();
  running.catch((error: unknown) => options.log.error({ err: error }, 'worker stopped with an error'));
  options.log.info({ taskQueue: options.target.taskQueue }, 'worker polling');
  return {
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
