import { randomUUID } from 'node:crypto';
import type { createActivities } from '../../workers/activities/index.js';

/**
 * A source read and a target pass driven activity by activity, without Temporal, for tests of what one page or
 * step does (which vendor calls, which rows) rather than of the workflows around them.
 */
export type Activities = ReturnType<typeof createActivities>;

export async function readSourceSteps(sync: Activities, connectionId: string): Promise<string> {
  const run = { runId: randomUUID(), connectionId };
  const begun = await sync.beginSyncRun({
    ...run,
    kind: 'source',
    mode: 'full',
    dryRun: false,
    trigger: 'manual',
    workflowId: 'test',
  });
  let cursor: string | null = null;
  do {
    const page = await sync.readSourceDepartmentsPage({
      ...run,
      cursor,
      since: null,
      startedAt: begun.startedAt,
      dryRun: false,
    });
    cursor = page.nextCursor;
  } while (cursor);
  do {
    const page = await sync.readSourcePeoplePage({
      ...run,
      cursor,
      since: null,
      startedAt: begun.startedAt,
      dryRun: false,
      full: true,
    });
    cursor = page.nextCursor;
  } while (cursor);
  await sync.linkSourceReferences({ connectionId });
  return run.runId;
}

/** Departments (where the target has them), then every people page; returns the run id. */
export async function provisionSteps(
  sync: Activities,
  connectionId: string,
  options: { people?: boolean } = {},
): Promise<string> {
  const run = { runId: randomUUID(), connectionId };
  const begun = await sync.beginSyncRun({
    ...run,
    kind: 'target',
    mode: 'full',
    dryRun: false,
    trigger: 'manual',
    workflowId: 'test',
  });
  if (begun.capabilities.departments) await sync.syncTargetDepartments({ ...run, dryRun: false });
  if (options.people === false) return run.runId;
  let after: string | null = null;
  do {
    const page = await sync.provisionAccountsPage({
      ...run,
      selection: { kind: 'all' },
      after,
      dryRun: false,
    });
    after = page.nextAfter;
  } while (after);
  return run.runId;
}
