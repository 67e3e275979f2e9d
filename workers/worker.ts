import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities/index.js';

/**
 * Where the workflow code is: the compiled `.js` when running from dist/, the `.ts` source under Jest (the SDK's
 * bundler compiles either).
 */
export function workflowsPath(): string {
  const js = fileURLToPath(new URL('./workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
}

export interface JunctionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (tests build it once for all their workers). */
  workflowBundle?: WorkflowBundleOption;
  identity?: string;
}

/** Wiring only: the worker polls `taskQueue` and runs Junction's workflows and activities. */
export async function createJunctionWorker(options: JunctionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: workflowsPath() }),
    activities: createActivities(options.deps),
    ...(options.identity ? { identity: options.identity } : {}),
  });
}
