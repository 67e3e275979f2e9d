import { proxyActivities } from '@temporalio/workflow';
import type { createHousekeepingActivities } from '../activities/housekeeping.js';

const { pruneExpiredRows } = proxyActivities<ReturnType<typeof createHousekeepingActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

/** Deletes expired OIDC artefacts, gateway sessions and short-lived entries; runs on a schedule. */
export async function housekeepingWorkflow(): Promise<{ deleted: number }> {
  const result = await pruneExpiredRows();
  return { deleted: result.deleted };
}
