import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { SyncActivities } from '../activities/sync.js';

/** Page activities: heartbeat so a dead worker is noticed within a minute; transient failures retry with backoff. */
export const pages = proxyActivities<SyncActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '45 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 30,
  },
});

/** Bookkeeping activities: short, database only. */
export const steps = proxyActivities<SyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
  },
});

/** Pages per workflow execution before continuing as new: keeps every history a few thousand events long. */
export const PAGES_PER_EXECUTION = 100;

export function shouldContinueAsNew(pagesThisExecution: number, limit = PAGES_PER_EXECUTION): boolean {
  return pagesThisExecution >= limit || workflowInfo().continueAsNewSuggested;
}

/** The code and message a failed run records, taken from the activity's application failure. */
export function describeFailure(error: unknown): { code: string; message: string } {
  let current: unknown = error;
  while (current instanceof ActivityFailure || current instanceof ChildWorkflowFailure)
    current = current.cause;
  if (current instanceof ApplicationFailure)
    return { code: current.type ?? 'failed', message: current.message };
  return { code: 'failed', message: current instanceof Error ? current.message : String(current) };
}

/** Records how the run ended even when the workflow is being cancelled. */
export async function closeRun(runId: string, error: unknown): Promise<void> {
  const status = isCancellation(error) ? 'cancelled' : 'failed';
  await CancellationScope.nonCancellable(() =>
    steps.finishSyncRun({ runId, status, error: status === 'failed' ? describeFailure(error) : null }),
  );
}
