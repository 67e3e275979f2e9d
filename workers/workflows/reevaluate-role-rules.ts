import {
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createRoleRuleActivities } from '../activities/role-rules.js';
import {
  RULES_CHANGED_SIGNAL,
  type RuleEvaluationInput,
  type RuleEvaluationOutcome,
  type RuleEvaluationResume,
  type RulesChanged,
} from '../role-rules-contract.js';

type Activities = ReturnType<typeof createRoleRuleActivities>;

const { beginRuleEvaluation, finishRuleEvaluation } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});
const { evaluateRulePage } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 10 },
});

export const rulesChangedSignal = defineSignal<[RulesChanged]>(RULES_CHANGED_SIGNAL);

/**
 * Re-evaluates the role rules for every person a tenant's rules reach (the tenant and its subsidiaries) after a rule
 * changed, a page per activity, so the admin API commits the change at once. One per tenant (a fixed workflow id,
 * started by signal-with-start): a further change while it runs makes it start over from the first person after the
 * current page, so a burst of edits costs about one pass, and the last pass always sees the latest rules.
 */
export async function reevaluateRoleRulesWorkflow(
  input: RuleEvaluationInput,
): Promise<RuleEvaluationOutcome> {
  let rulesChanged = input.resume?.rulesChanged ?? false;
  setHandler(rulesChangedSignal, () => {
    rulesChanged = true;
  });
  const pagesPerExecution = input.pagesPerExecution ?? 200;
  let state: RuleEvaluationResume;
  if (input.resume) {
    state = input.resume;
  } else {
    state = {
      runId: uuid4(),
      after: null,
      totals: { read: 0, updated: 0, rolesGranted: 0, rolesRevoked: 0 },
      passes: 1,
      rulesChanged: false,
    };
    await beginRuleEvaluation({
      runId: state.runId,
      tenantId: input.tenantId,
      workflowId: workflowInfo().workflowId,
      requestedBy: input.requestedBy,
    });
  }
  const finish = async (
    status: RuleEvaluationOutcome['status'],
    error?: { code: string; message: string },
  ): Promise<RuleEvaluationOutcome> => {
    await CancellationScope.nonCancellable(() =>
      finishRuleEvaluation({ runId: state.runId, status, totals: state.totals, ...(error ? { error } : {}) }),
    );
    return { runId: state.runId, status, passes: state.passes, totals: state.totals };
  };

  try {
    let pages = 0;
    for (;;) {
      if (rulesChanged && state.after !== null) {
        // A rule changed mid-pass: the people already done were judged by the old rules.
        state = { ...state, after: null, passes: state.passes + 1 };
      }
      rulesChanged = false;
      const page = await evaluateRulePage({
        runId: state.runId,
        tenantId: input.tenantId,
        after: state.after,
        totals: state.totals,
      });
      state = { ...state, after: page.next, totals: page.totals };
      pages += 1;
      if (state.after === null) {
        if (!rulesChanged) break;
        state = { ...state, passes: state.passes + 1 };
        rulesChanged = false;
        continue;
      }
      if (pages >= pagesPerExecution || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof reevaluateRoleRulesWorkflow>({
          ...input,
          resume: { ...state, rulesChanged },
        });
      }
    }
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    if (isCancellation(error)) {
      await finish('cancelled');
      throw error;
    }
    return finish('failed', {
      code: 'evaluation_failed',
      message: messageOf(error),
    });
  }
  const outcome = await finish('succeeded');
  if (rulesChanged) {
    // Changed while the run was being recorded: evaluate again, as a run of its own.
    const { resume: _done, ...fresh } = input;
    await continueAsNew<typeof reevaluateRoleRulesWorkflow>(fresh);
  }
  return outcome;
}

/** An activity's failure names its cause (the database's message), not "Activity task failed". */
function messageOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
