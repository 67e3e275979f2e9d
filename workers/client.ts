import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import {
  QUERIES,
  SIGNALS,
  workflowIds,
  type ProvisionPersonInput,
  type ProvisionTargetInput,
  type RunOutcome,
  type RunProgress,
  type SyncMode,
  type SyncSourceInput,
  type SyncTrigger,
} from './sync-contract.js';
import type { housekeepingWorkflow } from './workflows/housekeeping.js';
import type { provisionPersonWorkflow } from './workflows/provision-person.js';
import type { provisionTargetWorkflow } from './workflows/provision-target.js';
import type { syncSourceWorkflow } from './workflows/sync-source.js';

export type { RunOutcome, RunProgress, SyncMode, SyncTrigger } from './sync-contract.js';

/** Client side: run housekeeping once now (the gateway and CLI use this; the schedule runs it hourly). */
export async function runHousekeepingNow(client: Client, taskQueue: string): Promise<{ deleted: number }> {
  return client.workflow.execute<typeof housekeepingWorkflow>('housekeepingWorkflow', {
    taskQueue,
    workflowId: `junction-housekeeping-manual-${Date.now()}`,
  });
}

// ---- sync engine: the functions the admin API and the CLI call ----

export interface SyncRequest {
  mode?: SyncMode;
  dryRun?: boolean;
  trigger?: SyncTrigger;
  /** Who asked (admin user id / API token label), recorded on the run. */
  requestedBy?: string | null;
  /** Pages per workflow execution before continue-as-new (tests and benchmarks). */
  pagesPerExecution?: number;
  /** Source runs: provision the tenant's targets afterwards (default true). */
  provisionTargets?: boolean;
}

export interface StartedRun {
  workflowId: string;
  runId: string;
}

/**
 * Starts a run for a connection: a source reads HR into the directory and then provisions every target; a target
 * is provisioned from the directory. Returns at once; `waitForRun` (or the SyncRun row) gives the outcome.
 */
export async function startConnectionSync(
  client: Client,
  taskQueue: string,
  connection: { id: string; direction: 'source' | 'target' },
  request: SyncRequest = {},
): Promise<StartedRun> {
  const mode = request.mode ?? 'incremental';
  const trigger = request.trigger ?? 'api';
  const suffix = `${trigger}-${request.dryRun ? 'dry-' : ''}${Date.now()}-${randomUUID().slice(0, 8)}`;
  if (connection.direction === 'source') {
    const input: SyncSourceInput = {
      connectionId: connection.id,
      mode,
      trigger,
      dryRun: request.dryRun ?? false,
      requestedBy: request.requestedBy ?? null,
      ...(request.pagesPerExecution ? { pagesPerExecution: request.pagesPerExecution } : {}),
      ...(request.provisionTargets === false ? { provisionTargets: false } : {}),
    };
    const handle = await client.workflow.start<typeof syncSourceWorkflow>('syncSourceWorkflow', {
      taskQueue,
      workflowId: workflowIds.sourceRun(connection.id, suffix),
      args: [input],
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  }
  const input: ProvisionTargetInput = {
    connectionId: connection.id,
    mode,
    trigger,
    dryRun: request.dryRun ?? false,
    requestedBy: request.requestedBy ?? null,
    ...(request.pagesPerExecution ? { pagesPerExecution: request.pagesPerExecution } : {}),
  };
  const handle = await client.workflow.start<typeof provisionTargetWorkflow>('provisionTargetWorkflow', {
    taskQueue,
    workflowId: workflowIds.targetRun(connection.id, suffix),
    args: [input],
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/** Waits for a run (across continue-as-new) and returns its outcome. A held run waits for its approval. */
export async function waitForRun(client: Client, workflowId: string): Promise<RunOutcome> {
  return client.workflow.getHandle<typeof syncSourceWorkflow>(workflowId).result();
}

/**
 * Dry run: the plan (creates / updates / disables / deletes with field diffs, as `planned` SyncEvents of the
 * returned run) without writing to any target. Waits for it; plans are read-only so they never hold.
 */
export async function dryRunConnection(
  client: Client,
  taskQueue: string,
  connection: { id: string; direction: 'source' | 'target' },
  request: Omit<SyncRequest, 'dryRun'> = {},
): Promise<RunOutcome> {
  const started = await startConnectionSync(client, taskQueue, connection, { ...request, dryRun: true });
  return waitForRun(client, started.workflowId);
}

/** Approves a run held by the deletion threshold (the Approval row names its workflow id). */
export async function approveRun(client: Client, workflowId: string, by: string | null): Promise<void> {
  await client.workflow.getHandle(workflowId).signal(SIGNALS.approve, { by });
}

/** Rejects a held run: nothing is disabled or deleted, and the run ends as `rejected`. */
export async function rejectRun(client: Client, workflowId: string, by: string | null): Promise<void> {
  await client.workflow.getHandle(workflowId).signal(SIGNALS.reject, { by });
}

/** Where a running sync is (phase, pages done, held or not). */
export async function runProgress(client: Client, workflowId: string): Promise<RunProgress> {
  return client.workflow.getHandle(workflowId).query<RunProgress>(QUERIES.progress);
}

/** Cancels a run; it records itself as `cancelled` (work already written stays written). */
export async function cancelRun(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).cancel();
}

/**
 * Propagates one person to every target now (a hire, a move, a leaver, an admin's "provision now", or a manual role
 * assignment). Returns at once with the workflow id; `waitForRun` gives per-target outcomes.
 */
export async function provisionPersonNow(
  client: Client,
  taskQueue: string,
  personId: string,
  request: { trigger?: SyncTrigger; requestedBy?: string | null; dryRun?: boolean } = {},
): Promise<StartedRun> {
  const input: ProvisionPersonInput = {
    personId,
    trigger: request.trigger ?? 'person_change',
    requestedBy: request.requestedBy ?? null,
    dryRun: request.dryRun ?? false,
  };
  const handle = await client.workflow.start<typeof provisionPersonWorkflow>('provisionPersonWorkflow', {
    taskQueue,
    workflowId: workflowIds.personRun(personId, `${Date.now()}-${randomUUID().slice(0, 8)}`),
    args: [input],
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

/**
 * Webhook: starts an incremental sync of the connection, or, when one started by a webhook is already running,
 * tells it to read again when it ends (signal-with-start on a fixed workflow id). Bursts collapse into one run.
 */
export async function signalWebhookSync(
  client: Client,
  taskQueue: string,
  connectionId: string,
  deliveryId: string,
): Promise<StartedRun> {
  const input: SyncSourceInput = { connectionId, mode: 'incremental', trigger: 'webhook' };
  const handle = await client.workflow.signalWithStart<typeof syncSourceWorkflow, [{ deliveryId?: string }]>(
    'syncSourceWorkflow',
    {
      taskQueue,
      workflowId: workflowIds.webhookSync(connectionId),
      args: [input],
      signal: SIGNALS.changesPending,
      signalArgs: [{ deliveryId }],
    },
  );
  return { workflowId: handle.workflowId, runId: handle.signaledRunId };
}

export { applyConnectionSchedules, pauseConnectionSchedules } from './schedules.js';
