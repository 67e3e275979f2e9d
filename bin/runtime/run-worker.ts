import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import type { Vault } from '../../core/vault/vault.js';
import { registryOpener } from '../../workers/sync/registry-opener.js';
import { connectWorker, type TemporalTarget } from '../../workers/temporal-connection.js';
import { installTemporalRuntime } from '../../workers/temporal-runtime.js';
import { createJunctionWorker } from '../../workers/worker.js';

/** Starts a worker polling the task queue; `stop` drains in-flight tasks and closes the connection. */
export async function runWorker(options: {
  target: TemporalTarget;
  dataSource: DataSource;
  log: Logger;
  /** Opens connection credentials for the connectors the sync activities run. */
  vault: Vault;
  /** Ends a leaver's SSO sessions (the SSO module's function; workers may not import sso/ themselves). */
  endSessionsForPeople?: (personIds: string[]) => Promise<void>;
}): Promise<{ stop: () => Promise<void> }> {
  installTemporalRuntime(options.log);
  const connection = await connectWorker(options.target);
  const worker = await createJunctionWorker({
    connection,
    namespace: options.target.namespace,
    taskQueue: options.target.taskQueue,
    deps: {
      dataSource: options.dataSource,
      log: options.log,
      openConnector: registryOpener(options.vault),
      ...(options.endSessionsForPeople ? { endSessionsForPeople: options.endSessionsForPeople } : {}),
    },
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
