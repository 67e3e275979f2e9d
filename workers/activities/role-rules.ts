import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import { loadAccessContext, tenantSubtree } from '../access/access-context.js';
import { reapplyRulesPage } from '../access/role-rules.js';
import type { RuleEvaluationTotals } from '../role-rules-contract.js';
import { activityHooks } from '../sync/activity-context.js';

export interface RoleRuleActivityDeps {
  dataSource: DataSource;
  log?: Logger;
}

/** Pages of REAPPLY_PAGE people per activity (2,000 people: about a second, the granularity of a restart). */
const PAGES_PER_ACTIVITY = 4;

/** Role-rule evaluation after a rule change: a run record, then one activity per page of people. */
export function createRoleRuleActivities({ dataSource, log }: RoleRuleActivityDeps) {
  return {
    /** Records the evaluation as a SyncRun (kind `role_rules`) so the console lists it beside the syncs. */
    async beginRuleEvaluation(input: {
      runId: string;
      tenantId: string;
      workflowId: string;
      requestedBy: string | null;
    }): Promise<void> {
      await dataSource.query(
        `INSERT INTO sync_runs (id, tenant_id, kind, trigger, mode, status, workflow_id, requested_by)
         VALUES ($1, $2, 'role_rules', 'api', 'full', 'running', $3, $4) ON CONFLICT (id) DO NOTHING`,
        [input.runId, input.tenantId, input.workflowId, input.requestedBy],
      );
    },

    /**
     * Re-evaluates the next `pages` keyset pages of the tenant's people (and its subsidiaries') against the rules as
     * they are now, in one transaction with the run's running totals: a retried activity recomputes the same totals.
     * Several pages per activity because a Temporal round trip costs about as much as evaluating a page.
     */
    async evaluateRulePage(input: {
      runId: string;
      tenantId: string;
      after: string | null;
      totals: RuleEvaluationTotals;
      pages?: number;
    }): Promise<{ next: string | null; totals: RuleEvaluationTotals }> {
      return dataSource.transaction(async (manager) => {
        const ctx = await loadAccessContext(manager, input.tenantId);
        const reach = tenantSubtree(ctx.tenants, input.tenantId);
        const totals = { ...input.totals };
        let after = input.after;
        for (let i = 0; i < (input.pages ?? PAGES_PER_ACTIVITY); i += 1) {
          const page = await reapplyRulesPage(manager, ctx, reach, after);
          totals.read += page.read;
          totals.updated += page.changed;
          totals.rolesGranted += page.added;
          totals.rolesRevoked += page.removed;
          after = page.next;
          activityHooks().heartbeat({ after, read: totals.read });
          if (after === null) break;
        }
        await manager.query(`UPDATE sync_runs SET counts = $2, updated_at = now() WHERE id = $1`, [
          input.runId,
          JSON.stringify(totals),
        ]);
        return { next: after, totals };
      });
    },

    async finishRuleEvaluation(input: {
      runId: string;
      status: 'succeeded' | 'failed' | 'cancelled';
      totals: RuleEvaluationTotals;
      error?: { code: string; message: string };
    }): Promise<void> {
      await dataSource.query(
        `UPDATE sync_runs SET status = $2, counts = $3, error = $4, finished_at = now(), updated_at = now()
          WHERE id = $1`,
        [
          input.runId,
          input.status,
          JSON.stringify(input.totals),
          input.error ? JSON.stringify(input.error) : null,
        ],
      );
      log?.info({ runId: input.runId, status: input.status, ...input.totals }, 'role rules evaluated');
    },
  };
}
