import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../workers/activities/index.js';
import { createLogger } from '../../core/logger.js';
import { installTemporalRuntime } from '../../workers/temporal-runtime.js';
import { createJunctionWorker } from '../../workers/worker.js';
import { readServices } from './services.js';

export interface TestTemporal {
  address: string;
  namespace: string;
  /** Unique per call, so test files never steal each other's tasks. */
  taskQueue: string;
  client: Client;
  close(): Promise<void>;
}

/** A Temporal client on the shared dev server with a task queue of its own. */
export async function connectTestTemporal(): Promise<TestTemporal> {
  const services = readServices();
  const connection = await Connection.connect({ address: services.temporalAddress });
  return {
    address: services.temporalAddress,
    namespace: services.temporalNamespace,
    taskQueue: `test-${randomBytes(6).toString('hex')}`,
    client: new Client({ connection, namespace: services.temporalNamespace }),
    close: () => connection.close(),
  };
}

export interface RunningTestWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Starts a real worker (the production wiring, with the pre-built bundle) on the test's task queue. */
export async function startTestWorker(
  temporal: TestTemporal,
  deps: ActivityDeps,
): Promise<RunningTestWorker> {
  const services = readServices();
  installTemporalRuntime(createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'test-worker' }));
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createJunctionWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    deps,
    workflowBundle: { codePath: services.workflowBundlePath },
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
