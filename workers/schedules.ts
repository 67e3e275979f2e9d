import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const HOUSEKEEPING_SCHEDULE_ID = 'junction-housekeeping';

/**
 * Creates the hourly housekeeping schedule if it does not exist. Safe to call from every gateway replica at start:
 * Temporal rejects the duplicate and we keep the existing one.
 */
export async function ensureHousekeepingSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: HOUSEKEEPING_SCHEDULE_ID,
      spec: { intervals: [{ every: '1h' }] },
      action: {
        type: 'startWorkflow',
        // By name, so the client side never loads workflow code.
        workflowType: 'housekeepingWorkflow',
        taskQueue,
        workflowId: 'junction-housekeeping',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
  } catch (error) {
    if ((error as { name?: string }).name !== 'ScheduleAlreadyRunning') throw error;
  }
}
