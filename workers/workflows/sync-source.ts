import {
  ContinueAsNew,
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  QUERIES,
  SIGNALS,
  workflowIds,
  type Decision,
  type RunOutcome,
  type RunProgress,
  type SourceResume,
  type SyncSourceInput,
} from '../sync-contract.js';
import { provisionTargetWorkflow } from './provision-target.js';
import { closeRun, pages, shouldContinueAsNew, steps } from './sync-runtime.js';

export const changesPendingSignal = defineSignal<[{ deliveryId?: string }]>(SIGNALS.changesPending);
const approveSignal = defineSignal<[Decision]>(SIGNALS.approve);
const rejectSignal = defineSignal<[Decision]>(SIGNALS.reject);
const progressQuery = defineQuery<RunProgress>(QUERIES.progress);

/**
 * HR (or any source) → directory: departments then people, one activity per page, incremental from the stored
 * watermark or a full read; people a full read no longer returns become leavers only under the deletion threshold
 * (or with an admin's approval). Then every target of the tenant is provisioned from the directory.
 */
export async function syncSourceWorkflow(input: SyncSourceInput): Promise<RunOutcome> {
  let decision: 'approve' | 'reject' | null = null;
  let decidedBy: string | null = null;
  let pendingChanges = input.resume?.pendingChanges ?? false;
  let phase = 'starting';
  let held = false;
  let pagesHere = 0;
  setHandler(changesPendingSignal, () => {
    pendingChanges = true;
  });
  setHandler(approveSignal, (d) => {
    decision ??= 'approve';
    decidedBy = d.by;
  });
  setHandler(rejectSignal, (d) => {
    decision ??= 'reject';
    decidedBy = d.by;
  });
  const dryRun = input.dryRun ?? false;
  let r: SourceResume | undefined = input.resume;
  setHandler(progressQuery, () => ({ runId: r?.runId ?? null, phase, held, pages: pagesHere }));

  if (!r) {
    const runId = uuid4();
    const begun = await steps.beginSyncRun({
      runId,
      connectionId: input.connectionId,
      kind: 'source',
      mode: input.mode,
      dryRun,
      trigger: input.trigger,
      workflowId: workflowInfo().workflowId,
      requestedBy: input.requestedBy ?? null,
    });
    r = {
      runId,
      startedAt: begun.startedAt,
      tenantId: begun.tenantId,
      mode: begun.mode,
      since: begun.since,
      phase: begun.capabilities.departments ? 'departments' : 'people',
      cursor: null,
      watermark: null,
      read: 0,
      pendingChanges: false,
    };
  }
  const run = r;
  const ref = { runId: run.runId, connectionId: input.connectionId };
  const next = (): Promise<never> =>
    continueAsNew<typeof syncSourceWorkflow>({ ...input, resume: { ...run, pendingChanges } });
  let status: RunOutcome['status'] = 'succeeded';
  let counts: Record<string, number>;

  try {
    if (run.phase === 'departments') {
      phase = 'departments';
      do {
        const page = await pages.readSourceDepartmentsPage({
          ...ref,
          cursor: run.cursor,
          since: run.since,
          startedAt: run.startedAt,
          dryRun,
        });
        run.cursor = page.nextCursor;
        run.departmentsRead = (run.departmentsRead ?? 0) + page.read;
        pagesHere += 1;
        if (run.cursor && shouldContinueAsNew(pagesHere, input.pagesPerExecution)) await next();
      } while (run.cursor);
      run.phase = 'people';
      run.cursor = null;
    }

    phase = 'people';
    do {
      const page = await pages.readSourcePeoplePage({
        ...ref,
        cursor: run.cursor,
        since: run.since,
        startedAt: run.startedAt,
        dryRun,
        full: run.mode === 'full',
      });
      run.cursor = page.nextCursor;
      run.read += page.read;
      run.watermark ??= page.watermark;
      pagesHere += 1;
      if (run.cursor && shouldContinueAsNew(pagesHere, input.pagesPerExecution)) await next();
    } while (run.cursor);
    if (!dryRun) await steps.linkSourceReferences({ connectionId: input.connectionId });
    // A dry run lists the departments the read would retire (as planned events) and changes nothing.
    if (
      run.mode === 'full' &&
      (run.departmentsRead ?? 0) > 0 &&
      (!dryRun || patched('plan-retired-departments'))
    ) {
      await steps.retireMissingDepartments({ ...ref, startedAt: run.startedAt, dryRun });
    }

    if (run.mode === 'full') {
      phase = 'leavers';
      const verdict = await steps.checkMissingPeople({ ...ref, startedAt: run.startedAt, read: run.read });
      let markLeavers = verdict.planned > 0;
      if (verdict.exceeded && !dryRun) {
        phase = 'held';
        held = true;
        await steps.holdRun({ ...ref, workflowId: workflowInfo().workflowId, verdict });
        await condition(() => decision !== null);
        held = false;
        await steps.recordDecision({ runId: run.runId, approved: decision === 'approve', by: decidedBy });
        if (decision === 'reject') {
          markLeavers = false;
          status = 'rejected';
        }
      }
      if (markLeavers) await pages.markMissingPeopleAsLeavers({ ...ref, startedAt: run.startedAt, dryRun });
    }
    if (!dryRun) {
      await steps.commitSourceState({
        connectionId: input.connectionId,
        watermark: run.watermark,
        mode: run.mode,
        startedAt: run.startedAt,
      });
    }
    phase = 'done';
    counts = (await steps.finishSyncRun({
      runId: run.runId,
      status: status === 'rejected' ? 'rejected' : 'succeeded',
    })) as Record<string, number>;
    if (status !== 'rejected' && ((counts.quarantined ?? 0) > 0 || (counts.failed ?? 0) > 0))
      status = 'partially_failed';
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    await closeRun(run.runId, error);
    throw error;
  }

  let targets: RunOutcome[] = [];
  if (!dryRun && (input.provisionTargets ?? true)) {
    phase = 'targets';
    const ids = await steps.listTargetsFor({ connectionId: input.connectionId });
    targets = await Promise.all(
      ids.map((connectionId) =>
        executeChild(provisionTargetWorkflow, {
          args: [
            { connectionId, mode: run.mode, trigger: input.trigger, requestedBy: input.requestedBy ?? null },
          ],
          workflowId: workflowIds.targetRun(connectionId, run.runId),
          // A target held for approval keeps waiting even if this run is terminated.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }).catch((error: unknown) => ({
          runId: '',
          status: 'failed' as const,
          counts: {},
          error: String(error),
        })),
      ),
    );
  }

  if (pendingChanges) {
    // A webhook arrived while we ran: read the changes it announced in a fresh incremental run.
    await continueAsNew<typeof syncSourceWorkflow>({
      connectionId: input.connectionId,
      mode: 'incremental',
      trigger: input.trigger,
      requestedBy: input.requestedBy ?? null,
      provisionTargets: input.provisionTargets ?? true,
      ...(input.pagesPerExecution ? { pagesPerExecution: input.pagesPerExecution } : {}),
    });
  }
  return { runId: run.runId, status, counts, targets };
}
