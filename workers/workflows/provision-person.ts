import { ParentClosePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/sync.js';
import { workflowIds, type ProvisionPersonInput, type RunOutcome } from '../sync-contract.js';
import { provisionTargetWorkflow } from './provision-target.js';

const steps = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});

/**
 * One person → every target of their tenant, now: a hire, a move or a leaver reaches each system in seconds
 * instead of waiting for the next cycle. Each target runs as its own provisioning run limited to this person.
 */
export async function provisionPersonWorkflow(input: ProvisionPersonInput): Promise<RunOutcome> {
  const tenantId = await steps.personTenant({ personId: input.personId });
  if (!tenantId) return { runId: '', status: 'failed', counts: {}, targets: [] };
  const ids = await steps.listTargetsFor({ tenantId });
  const suffix = workflowInfo().runId;
  const targets = await Promise.all(
    ids.map((connectionId) =>
      executeChild(provisionTargetWorkflow, {
        args: [
          {
            connectionId,
            mode: 'incremental',
            dryRun: input.dryRun ?? false,
            trigger: input.trigger,
            requestedBy: input.requestedBy ?? null,
            personIds: [input.personId],
          },
        ],
        workflowId: workflowIds.targetRun(connectionId, `person-${input.personId}-${suffix}`),
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    ),
  );
  const failed = targets.some((t) => t.status !== 'succeeded');
  return { runId: '', status: failed ? 'partially_failed' : 'succeeded', counts: {}, targets };
}
