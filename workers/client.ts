import type { Client } from '@temporalio/client';
import type { housekeepingWorkflow } from './workflows/housekeeping.js';

/** Client side: run housekeeping once now (the gateway and CLI use this; the schedule runs it hourly). */
export async function runHousekeepingNow(client: Client, taskQueue: string): Promise<{ deleted: number }> {
  return client.workflow.execute<typeof housekeepingWorkflow>('housekeepingWorkflow', {
    taskQueue,
    workflowId: `junction-housekeeping-manual-${Date.now()}`,
  });
}
