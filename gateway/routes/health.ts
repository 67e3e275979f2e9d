import { Router } from 'express';
import proto from '@temporalio/proto';
import type { GatewayDeps } from '../deps.js';

export interface CheckResult {
  ok: boolean;
  reason?: string;
  [extra: string]: unknown;
}

/** A worker that polled within this window counts as alive (Temporal keeps pollers listed for ~5 minutes). */
const POLLER_FRESH_MS = 2 * 60_000;

export async function checkDatabase(deps: GatewayDeps): Promise<CheckResult> {
  try {
    await deps.dataSource.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `database query failed: ${firstLine(error)}` };
  }
}

export async function checkTemporal(deps: GatewayDeps): Promise<CheckResult> {
  try {
    await deps.temporal.client.workflowService.getSystemInfo({});
    return { ok: true, namespace: deps.temporal.namespace };
  } catch (error) {
    return { ok: false, reason: `Temporal unreachable: ${firstLine(error)}` };
  }
}

export async function checkWorkers(deps: GatewayDeps): Promise<CheckResult> {
  try {
    const response = await deps.temporal.client.workflowService.describeTaskQueue({
      namespace: deps.temporal.namespace,
      taskQueue: { name: deps.temporal.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const now = Date.now();
    const fresh = (response.pollers ?? []).filter((poller) => {
      const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < POLLER_FRESH_MS;
    });
    if (fresh.length === 0) {
      return {
        ok: false,
        reason: `no worker is polling task queue "${deps.temporal.taskQueue}"; start one with \`junction worker\``,
      };
    }
    return { ok: true, pollers: fresh.length, taskQueue: deps.temporal.taskQueue };
  } catch (error) {
    return { ok: false, reason: `cannot describe task queue: ${firstLine(error)}` };
  }
}

/** `/healthz`: 200 when the database, Temporal and at least one worker are all fine, else 503 with the reasons. */
export function healthRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [database, temporalCheck, worker] = await Promise.all([
      checkDatabase(deps),
      checkTemporal(deps),
      checkWorkers(deps),
    ]);
    const ok = database.ok && temporalCheck.ok && worker.ok;
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', checks: { database, temporal: temporalCheck, worker } });
  });
  return router;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).slice(0, 300);
}
