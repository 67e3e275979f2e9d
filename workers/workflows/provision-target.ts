import {
  ContinueAsNew,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { PeopleSelection } from '../activities/sync.js';
import {
  QUERIES,
  SIGNALS,
  type Decision,
  type ProvisionTargetInput,
  type RunOutcome,
  type RunProgress,
  type TargetResume,
} from '../sync-contract.js';
import { closeRun, pages, shouldContinueAsNew, steps } from './sync-runtime.js';

export const approveSignal = defineSignal<[Decision]>(SIGNALS.approve);
export const rejectSignal = defineSignal<[Decision]>(SIGNALS.reject);
export const progressQuery = defineQuery<RunProgress>(QUERIES.progress);

/**
 * Directory → one target: (full runs) list the target's accounts to adopt and repair drift, sync departments,
 * page through people creating / updating / moving accounts, plan disables and deletes, hold at the deletion
 * threshold for an admin's decision, apply, rewrite the member lists of the groups that changed, then remove the
 * departments the directory no longer has.
 */
export async function provisionTargetWorkflow(input: ProvisionTargetInput): Promise<RunOutcome> {
  let decision: 'approve' | 'reject' | null = null;
  let decidedBy: string | null = null;
  let phase = 'starting';
  let held = false;
  let pagesHere = 0;
  setHandler(approveSignal, (d) => {
    decision ??= 'approve';
    decidedBy = d.by;
  });
  setHandler(rejectSignal, (d) => {
    decision ??= 'reject';
    decidedBy = d.by;
  });
  const dryRun = input.dryRun ?? false;
  const personIds = input.personIds ?? null;
  let r: TargetResume | undefined = input.resume;
  setHandler(progressQuery, () => ({ runId: r?.runId ?? null, phase, held, pages: pagesHere }));

  if (!r) {
    const runId = uuid4();
    const begun = await steps.beginSyncRun({
      runId,
      connectionId: input.connectionId,
      kind: personIds ? 'person' : 'target',
      mode: input.mode,
      dryRun,
      trigger: input.trigger,
      workflowId: workflowInfo().workflowId,
      requestedBy: input.requestedBy ?? null,
    });
    r = {
      runId,
      startedAt: begun.startedAt,
      mode: begun.mode,
      since: begun.since,
      phase: begun.mode === 'full' && begun.capabilities.listAccounts && !personIds ? 'reconcile' : 'people',
      cursor: null,
      affectedGroups: [],
      capabilities: begun.capabilities,
    };
    if (begun.capabilities.departments && !personIds) {
      phase = 'departments';
      await pages.syncTargetDepartments({ runId, connectionId: input.connectionId, dryRun });
    }
  }
  const run = r;
  const ref = { runId: run.runId, connectionId: input.connectionId };
  const next = (): Promise<never> => continueAsNew<typeof provisionTargetWorkflow>({ ...input, resume: run });

  try {
    if (run.phase === 'reconcile') {
      phase = 'reconcile';
      do {
        const page = await pages.reconcileTargetPage({
          ...ref,
          cursor: run.cursor,
          startedAt: run.startedAt,
        });
        run.cursor = page.nextCursor;
        pagesHere += 1;
        if (run.cursor && shouldContinueAsNew(pagesHere, input.pagesPerExecution)) await next();
      } while (run.cursor);
      await steps.forgetVanishedAccounts({ ...ref, startedAt: run.startedAt });
      run.phase = 'people';
      run.cursor = null;
    }

    if (run.phase === 'people') {
      phase = 'people';
      const selection: PeopleSelection = personIds
        ? { kind: 'people', personIds }
        : run.mode === 'incremental' && run.since
          ? { kind: 'since', since: run.since }
          : { kind: 'all' };
      do {
        const page = await pages.provisionAccountsPage({ ...ref, selection, after: run.cursor, dryRun });
        run.cursor = page.nextAfter;
        for (const g of page.affectedGroups) if (!run.affectedGroups.includes(g)) run.affectedGroups.push(g);
        pagesHere += 1;
        if (run.cursor && shouldContinueAsNew(pagesHere, input.pagesPerExecution)) await next();
      } while (run.cursor);
      if (!personIds) await steps.planGraceDeletes(ref);

      if (!dryRun) {
        phase = 'threshold';
        const verdict = await steps.checkRemovalThreshold(ref);
        if (verdict.exceeded) {
          phase = 'held';
          held = true;
          await steps.holdRun({ ...ref, workflowId: workflowInfo().workflowId, verdict });
          await condition(() => decision !== null);
          held = false;
          await steps.recordDecision({ runId: run.runId, approved: decision === 'approve', by: decidedBy });
          if (decision === 'reject') {
            const counts = await steps.finishSyncRun({ runId: run.runId, status: 'rejected' });
            return { runId: run.runId, status: 'rejected', counts: counts as Record<string, number> };
          }
        }
      }
      run.phase = 'apply';
      run.cursor = null;
    }

    if (run.phase === 'apply' && !dryRun) {
      phase = 'apply';
      do {
        const page = await pages.applyPlannedPage({ ...ref, afterEventId: run.cursor });
        run.cursor = page.nextAfter;
        for (const g of page.affectedGroups) if (!run.affectedGroups.includes(g)) run.affectedGroups.push(g);
        pagesHere += 1;
        if (run.cursor && shouldContinueAsNew(pagesHere, input.pagesPerExecution)) await next();
      } while (run.cursor);
    }

    if (run.capabilities.groups) {
      phase = 'groups';
      const everything = run.mode === 'full' && !personIds;
      if (everything || run.affectedGroups.length > 0) {
        await pages.syncTargetGroups({ ...ref, onlyGroups: everything ? null : run.affectedGroups, dryRun });
      }
    }
    // Last, once the accounts have moved out: departments HR removed leave the target (children first).
    if (run.capabilities.departments && !personIds && patched('remove-retired-target-departments')) {
      phase = 'departments';
      await pages.removeRetiredTargetDepartments({ ...ref, dryRun, mode: run.mode });
    }
    if (!dryRun && !personIds)
      await steps.commitTargetState({ connectionId: input.connectionId, startedAt: run.startedAt });
    phase = 'done';
    const counts = await steps.finishSyncRun({ runId: run.runId, status: 'succeeded' });
    const failed = (counts.quarantined ?? 0) + (counts.failed ?? 0) > 0;
    return {
      runId: run.runId,
      status: failed ? 'partially_failed' : 'succeeded',
      counts: counts as Record<string, number>,
    };
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    await closeRun(run.runId, error);
    throw error;
  }
}
