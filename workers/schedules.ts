import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration, Workflow } from '@temporalio/common';

export const HOUSEKEEPING_SCHEDULE_ID = 'junction-housekeeping';

/**
 * Creates the hourly housekeeping schedule if it does not exist. Safe to call from every gateway replica at start:
 * Temporal rejects the duplicate and we keep the existing one.
 */
export async function ensureHousekeepingSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: HOUSEKEEPING_SCHEDULE_ID,
      spec: { intervals: [{ every: '1h' }] },
      action: {
        type: 'startWorkflow',
        // By name, so the client side never loads workflow code.
        workflowType: 'housekeepingWorkflow',
        taskQueue,
        workflowId: 'junction-housekeeping',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
  } catch (error) {
    if ((error as { name?: string }).name !== 'ScheduleAlreadyRunning') throw error;
  }
}

/** What a connection's schedules need to know about it. */
export interface ScheduledConnection {
  id: string;
  direction: 'source' | 'target';
  enabled: boolean;
  schedule: {
    intervalSeconds?: number;
    cron?: string;
    fullReconcileCron?: string;
    overlap?: 'skip' | 'buffer_one' | 'cancel_other' | 'allow_all';
    paused?: boolean;
  };
}

const OVERLAP = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
} as const;

/** Nightly, when nobody is changing HR: the full reconcile that repairs drift and finds leavers. */
export const DEFAULT_FULL_RECONCILE_CRON = '0 2 * * *';

/**
 * Makes a connection's Temporal Schedules match its settings: an incremental schedule (interval or cron) and a
 * full-reconcile schedule (nightly by default), both with the connection's overlap policy, paused when it says so,
 * and deleted when the connection is disabled or deleted (pass `null`). Call it after every change to the
 * connection; it is idempotent.
 */
export async function applyConnectionSchedules(
  client: Client,
  taskQueue: string,
  connectionId: string,
  connection: ScheduledConnection | null,
): Promise<{
  incremental: 'created' | 'updated' | 'deleted' | 'none';
  reconcile: 'created' | 'updated' | 'deleted' | 'none';
}> {
  const incrementalId = `junction-sync-${connectionId}`;
  const reconcileId = `junction-reconcile-${connectionId}`;
  if (!connection || !connection.enabled) {
    return {
      incremental: await removeSchedule(client, incrementalId),
      reconcile: await removeSchedule(client, reconcileId),
    };
  }
  const s = connection.schedule;
  const overlap = OVERLAP[s.overlap ?? 'skip'];
  const workflowType = connection.direction === 'source' ? 'syncSourceWorkflow' : 'provisionTargetWorkflow';
  const prefix = connection.direction === 'source' ? 'sync-source' : 'provision-target';
  const incrementalSpec = s.cron
    ? { cronExpressions: [s.cron] }
    : s.intervalSeconds
      ? { intervals: [{ every: `${Math.max(30, Math.floor(s.intervalSeconds))}s` as const }] }
      : null;
  const incremental = incrementalSpec
    ? await upsertSchedule(client, incrementalId, {
        spec: incrementalSpec,
        action: {
          type: 'startWorkflow',
          workflowType,
          taskQueue,
          workflowId: `${prefix}:${connectionId}:schedule`,
          args: [{ connectionId, mode: 'incremental', trigger: 'schedule' }],
        },
        policies: { overlap, catchupWindow: '10m' },
        paused: s.paused ?? false,
      })
    : await removeSchedule(client, incrementalId);
  const reconcile = await upsertSchedule(client, reconcileId, {
    spec: { cronExpressions: [s.fullReconcileCron || DEFAULT_FULL_RECONCILE_CRON] },
    action: {
      type: 'startWorkflow',
      workflowType,
      taskQueue,
      workflowId: `${prefix}:${connectionId}:reconcile`,
      args: [{ connectionId, mode: 'full', trigger: 'schedule' }],
    },
    // A full run never starts on top of another one; it waits for the running one to end.
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1h' },
    paused: s.paused ?? false,
  });
  return { incremental, reconcile };
}

interface ScheduleSettings {
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<Workflow>;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: Duration };
  paused: boolean;
}

async function upsertSchedule(
  client: Client,
  scheduleId: string,
  settings: ScheduleSettings,
): Promise<'created' | 'updated'> {
  const handle = client.schedule.getHandle(scheduleId);
  try {
    // One update carries the pause state too: a separate pause call can be overtaken by the update.
    await handle.update((previous) => ({
      ...previous,
      spec: settings.spec,
      action: settings.action,
      policies: { ...previous.policies, ...settings.policies },
      state: {
        ...previous.state,
        paused: settings.paused,
        note: settings.paused ? 'paused in the connection settings' : 'running per the connection settings',
      },
    }));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  try {
    await client.schedule.create({
      scheduleId,
      spec: settings.spec,
      action: settings.action,
      policies: settings.policies,
      state: {
        paused: settings.paused,
        ...(settings.paused ? { note: 'paused in the connection settings' } : {}),
      },
    });
  } catch (error) {
    // Another replica created it between our describe and create: it has the same settings.
    if ((error as { name?: string }).name !== 'ScheduleAlreadyRunning') throw error;
  }
  return 'created';
}

async function removeSchedule(client: Client, scheduleId: string): Promise<'deleted' | 'none'> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return 'deleted';
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return 'none';
    throw error;
  }
}

/** Pauses or resumes both of a connection's schedules (the console's pause switch). */
export async function pauseConnectionSchedules(
  client: Client,
  connectionId: string,
  paused: boolean,
  note: string,
): Promise<void> {
  for (const id of [`junction-sync-${connectionId}`, `junction-reconcile-${connectionId}`]) {
    try {
      const handle = client.schedule.getHandle(id);
      if (paused) await handle.pause(note);
      else await handle.unpause(note);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
}
