/**
 * Names and inputs shared by the role-rule evaluation workflow and its client-side starter. No imports: workflow
 * code and the gateway's client both load this file.
 */

/** A rule of the tenant (or of an ancestor reaching down) changed: evaluate again from the first person. */
export const RULES_CHANGED_SIGNAL = 'rulesChanged';

/** One evaluation per tenant at a time: bursts of rule edits coalesce into the running one. */
export function ruleEvaluationWorkflowId(tenantId: string): string {
  return `junction-role-rules-${tenantId}`;
}

export interface RulesChanged {
  /** Who changed a rule (admin user or API token label), recorded on the run that starts. */
  requestedBy: string | null;
}

export interface RuleEvaluationTotals {
  /** People evaluated, over every pass (a restart reads everyone again). */
  read: number;
  /** People whose rule-given roles changed (touched for incremental provisioning). */
  updated: number;
  rolesGranted: number;
  rolesRevoked: number;
}

export interface RuleEvaluationInput {
  tenantId: string;
  requestedBy: string | null;
  /** Pages per workflow execution before continue-as-new (default 200; tests lower it to exercise the path). */
  pagesPerExecution?: number;
  /** Set by continue-as-new: where the evaluation had got to. */
  resume?: RuleEvaluationResume;
}

export interface RuleEvaluationResume {
  runId: string;
  after: string | null;
  totals: RuleEvaluationTotals;
  passes: number;
  rulesChanged: boolean;
}

export interface RuleEvaluationOutcome {
  /** The SyncRun (kind `role_rules`) that records this evaluation. */
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Passes over the tenant's people: more than one when rules changed while it ran. */
  passes: number;
  totals: RuleEvaluationTotals;
}
