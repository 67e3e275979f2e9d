import type { Client } from '@temporalio/client';
import {
  ruleEvaluationWorkflowId,
  RULES_CHANGED_SIGNAL,
  type RuleEvaluationInput,
  type RulesChanged,
} from './role-rules-contract.js';
import type { reevaluateRoleRulesWorkflow } from './workflows/reevaluate-role-rules.js';

export interface StartedEvaluation {
  workflowId: string;
  /** The Temporal run that got the signal: a new one, or the evaluation already running for the tenant. */
  runId: string;
}

/**
 * A rule of the tenant changed (committed): re-evaluate its people in the background. Signal-with-start on the
 * tenant's fixed workflow id, so an evaluation already running starts over instead of a second one racing it.
 */
export async function requestRuleEvaluation(
  client: Client,
  taskQueue: string,
  tenantId: string,
  change: RulesChanged,
  options: { pagesPerExecution?: number } = {},
): Promise<StartedEvaluation> {
  const input: RuleEvaluationInput = {
    tenantId,
    requestedBy: change.requestedBy,
    ...(options.pagesPerExecution ? { pagesPerExecution: options.pagesPerExecution } : {}),
  };
  const handle = await client.workflow.signalWithStart<typeof reevaluateRoleRulesWorkflow, [RulesChanged]>(
    'reevaluateRoleRulesWorkflow',
    {
      taskQueue,
      workflowId: ruleEvaluationWorkflowId(tenantId),
      args: [input],
      signal: RULES_CHANGED_SIGNAL,
      signalArgs: [change],
    },
  );
  return { workflowId: handle.workflowId, runId: handle.signaledRunId };
}
