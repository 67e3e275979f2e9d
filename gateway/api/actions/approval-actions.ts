import { z } from 'zod';
import { Approval } from '../../../core/entities/index.js';
import { approveRun, rejectRun } from '../../../workers/client.js';
import { findVisible } from '../http/crud.js';
import { problems } from '../http/problem.js';
import { defineRoute } from '../http/route.js';
import { IdParams } from '../http/schemas.js';
import { ApprovalOut, presentApproval } from '../resources/approvals.js';
import { auditAction, requester } from './action-audit.js';
import { temporalCall } from './temporal-call.js';

const spec = { entity: Approval, tenantOf: (a: Approval) => a.tenantId, title: 'Approval' };

function decisionRoute(decision: 'approve' | 'reject') {
  return defineRoute({
    method: 'post',
    path: `/approvals/{id}/${decision}`,
    operationId: decision === 'approve' ? 'approveHeldRun' : 'rejectHeldRun',
    summary:
      decision === 'approve'
        ? 'Approve a run held by the deletion threshold: it goes on and disables / deletes what it planned'
        : 'Reject a held run: nothing is disabled or deleted, and the run ends as rejected',
    tag: 'Sync',
    permission: 'connections.operate',
    params: IdParams,
    body: z.strictObject({ comment: z.string().max(1000).optional() }),
    responses: { 202: { description: 'The decision was sent to the run', schema: ApprovalOut } },
    handle: async (ctx) => {
      const approval = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('connections.operate', approval.tenantId, 'Approval');
      if (approval.status !== 'pending') {
        throw problems.unprocessable('already_decided', `The run was already ${approval.status}`);
      }
      const by = requester(ctx);
      await temporalCall(ctx.deps.log, `${decision} the held run`, () =>
        decision === 'approve'
          ? approveRun(ctx.deps.temporal.client, approval.workflowId, by)
          : rejectRun(ctx.deps.temporal.client, approval.workflowId, by),
      );
      await auditAction(ctx, {
        tenantId: approval.tenantId,
        action: `approval.${decision}`,
        targetType: 'approval',
        targetId: approval.id,
        reason: ctx.body.comment ?? null,
        after: { runId: approval.runId, workflowId: approval.workflowId },
      });
      // The run records the decision on the approval itself when it receives the signal.
      return { status: 202, body: presentApproval(approval) };
    },
  });
}

export const approvalActionRoutes = [decisionRoute('approve'), decisionRoute('reject')];
