import { z } from 'zod';
import { SyncRun } from '../../../core/entities/index.js';
import { cancelRun, runProgress } from '../../../workers/client.js';
import { findVisible } from '../http/crud.js';
import { problems } from '../http/problem.js';
import { defineRoute } from '../http/route.js';
import { IdParams } from '../http/schemas.js';
import { auditAction } from './action-audit.js';
import { temporalCall } from './temporal-call.js';

const spec = { entity: SyncRun, tenantOf: (r: SyncRun) => r.tenantId, title: 'Sync run' };

export const runActionRoutes = [
  defineRoute({
    method: 'get',
    path: '/sync-runs/{id}/progress',
    operationId: 'getSyncRunProgress',
    summary: 'Where a running sync is (phase, pages done, held), asked of the workflow itself',
    tag: 'Sync',
    permission: 'read',
    params: IdParams,
    responses: {
      200: {
        description: 'Progress',
        schema: z
          .object({
            running: z.boolean(),
            phase: z.string().nullable(),
            held: z.boolean(),
            pages: z.number().int(),
          })
          .meta({ id: 'SyncRunProgress' }),
      },
    },
    handle: async (ctx) => {
      const run = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      if (run.status !== 'running' && run.status !== 'held') {
        return { status: 200, body: { running: false, phase: null, held: false, pages: 0 } };
      }
      if (!run.workflowId)
        return { status: 200, body: { running: true, phase: null, held: run.status === 'held', pages: 0 } };
      const workflowId = run.workflowId;
      try {
        const progress = await runProgress(ctx.deps.temporal.client, workflowId);
        return {
          status: 200,
          body: { running: true, phase: progress.phase, held: progress.held, pages: progress.pages },
        };
      } catch {
        // A run that just ended, or a workflow that moved on by continue-as-new: the row is the truth.
        return { status: 200, body: { running: true, phase: null, held: run.status === 'held', pages: 0 } };
      }
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sync-runs/{id}/cancel',
    operationId: 'cancelSyncRun',
    summary: 'Cancel a running sync (what it already wrote stays written)',
    tag: 'Sync',
    permission: 'connections.operate',
    params: IdParams,
    responses: {
      202: { description: 'Cancellation requested', schema: z.object({ workflowId: z.string() }) },
    },
    handle: async (ctx) => {
      const run = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('connections.operate', run.tenantId, 'Sync run');
      if ((run.status !== 'running' && run.status !== 'held') || !run.workflowId) {
        throw problems.unprocessable('run_not_running', `The run is ${run.status}`);
      }
      const workflowId = run.workflowId;
      await temporalCall(ctx.deps.log, 'cancel the run', () =>
        cancelRun(ctx.deps.temporal.client, workflowId),
      );
      await auditAction(ctx, {
        tenantId: run.tenantId,
        action: 'sync_run.cancel',
        targetType: 'sync_run',
        targetId: run.id,
      });
      return { status: 202, body: { workflowId } };
    },
  }),
];
