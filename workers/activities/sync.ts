import type { DataSource } from 'typeorm';
import { ApplicationFailure } from '@temporalio/common';
import { Connection } from '../../core/entities/index.js';
import type { SyncRunKind, SyncRunStatus, SyncRunTrigger } from '../../core/entities/sync-run.js';
import { loadAccessContext, tenantFamily } from '../access/access-context.js';
import { activityHooks } from '../sync/activity-context.js';
import { ConnectorCache } from '../sync/connector-cache.js';
import {
  canListAccounts,
  canReadDepartments,
  canReadPeople,
  canWriteDepartments,
  canWriteGroups,
  type OpenedConnector,
} from '../sync/connector-port.js';
import { toActivityFailure, type RetryOptions } from '../sync/failure-policy.js';
import { beginRun, bumpCounts, finishRun, insertEvents, setRunStatus } from '../sync/run-records.js';
import { linkSourceReferences, upsertDepartmentsPage } from '../sync/source-departments-page.js';
import { upsertPeoplePage } from '../sync/source-people-page.js';
import { DEFAULT_TUNING, type SyncDeps } from '../sync/sync-deps.js';
import { provisionAccountsPage } from '../sync/target-accounts-page.js';
import {
  applyPlannedPage,
  countPlannedRemovals,
  judgeThreshold,
  planGraceDeletes,
  type ThresholdVerdict,
} from '../sync/target-apply.js';
import { removeRetiredTargetDepartments } from '../sync/target-department-removal.js';
import { syncTargetDepartments } from '../sync/target-departments.js';
import { syncTargetGroups } from '../sync/target-groups.js';
import { forgetVanishedAccounts, reconcileTargetPage } from '../sync/target-reconcile.js';
import type { PeopleSelection } from '../sync/target-selection.js';

export type { PeopleSelection, ThresholdVerdict };

export interface RunRef {
  runId: string;
  connectionId: string;
}

export interface BeginInput extends RunRef {
  kind: SyncRunKind;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  trigger: SyncRunTrigger;
  workflowId: string;
  requestedBy?: string | null;
}

export interface BegunRun {
  startedAt: string;
  tenantId: string;
  /** The mode actually run: an incremental run without a stored watermark reads everything. */
  mode: 'full' | 'incremental';
  /** Source: the vendor watermark to read changes since. Target: the provisioning watermark. */
  since: string | null;
  capabilities: { departments: boolean; listAccounts: boolean; groups: boolean };
}

/** The sync activities: one per page or per bounded step, all I/O, every failure classified for Temporal. */
export function createSyncActivities(deps: SyncDeps) {
  const ds: DataSource = deps.dataSource;
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const connectors = new ConnectorCache(deps.openConnector, deps.log);

  const load = async (connectionId: string): Promise<Connection> => {
    const connection = await ds.getRepository(Connection).findOneBy({ id: connectionId });
    if (!connection) {
      throw ApplicationFailure.nonRetryable(`connection ${connectionId} no longer exists`, 'not_found');
    }
    return connection;
  };
  const open = async (
    connectionId: string,
  ): Promise<{ connection: Connection; connector: OpenedConnector }> => {
    const connection = await load(connectionId);
    return { connection, connector: await connectors.get(connection) };
  };
  const retry = (): RetryOptions => ({
    attempts: tuning.objectAttempts,
    baseDelayMs: tuning.retryBaseDelayMs,
    maxDelayMs: 30_000,
    signal: activityHooks().signal,
  });
  const runOf = async (
    runId: string,
  ): Promise<{ runId: string; tenantId: string | null; connectionId: string | null }> => {
    const [row] = (await ds.query(`SELECT tenant_id, connection_id FROM sync_runs WHERE id = $1`, [
      runId,
    ])) as {
      tenant_id: string | null;
      connection_id: string | null;
    }[];
    return { runId, tenantId: row?.tenant_id ?? null, connectionId: row?.connection_id ?? null };
  };
  /** Every activity body runs through this, so what escapes is a Temporal failure with the right retry advice. */
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    };

  return {
    beginSyncRun: guard(async (input: BeginInput): Promise<BegunRun> => {
      const { connection, connector } = await open(input.connectionId);
      if (!connection.enabled && input.trigger === 'schedule') {
        throw ApplicationFailure.nonRetryable('connection is disabled', 'connection_disabled');
      }
      const state = connection.syncState ?? {};
      const since =
        input.kind === 'source'
          ? typeof state.watermark === 'string'
            ? state.watermark
            : null
          : typeof state.provisionedThrough === 'string'
            ? state.provisionedThrough
            : null;
      const mode =
        input.mode === 'incremental' && since === null && input.kind !== 'person' ? 'full' : input.mode;
      const { startedAt } = await beginRun(ds, {
        runId: input.runId,
        tenantId: connection.tenantId,
        connectionId: connection.id,
        kind: input.kind,
        trigger: input.trigger,
        mode,
        dryRun: input.dryRun,
        workflowId: input.workflowId,
        requestedBy: input.requestedBy ?? null,
      });
      if (input.kind === 'source' && !canReadPeople(connector)) {
        throw ApplicationFailure.nonRetryable(
          `connector ${connection.connectorId} cannot read people`,
          'invalid_config',
        );
      }
      return {
        startedAt,
        tenantId: connection.tenantId,
        mode,
        since: mode === 'incremental' ? since : null,
        capabilities: {
          departments:
            input.kind === 'source' ? canReadDepartments(connector) : canWriteDepartments(connector),
          listAccounts: canListAccounts(connector),
          groups: canWriteGroups(connector),
        },
      };
    }),

    // ---- source (HR → directory) ----

    readSourceDepartmentsPage: guard(
      async (
        input: RunRef & { cursor: string | null; since: string | null; startedAt: string; dryRun: boolean },
      ) => {
        const { connection, connector } = await open(input.connectionId);
        if (!canReadDepartments(connector)) return { nextCursor: null, watermark: null, read: 0 };
        const page = await connector.readDepartments({
          cursor: input.cursor,
          changedSince: input.since,
          pageSize: tuning.pageSize,
        });
        const result = await upsertDepartmentsPage(ds, {
          tenantId: connection.tenantId,
          connectionId: connection.id,
          departments: page.items,
          seenAt: new Date(input.startedAt),
          dryRun: input.dryRun,
        });
        await insertEvents(ds, await runOf(input.runId), result.events);
        return { nextCursor: page.nextCursor, watermark: page.watermark ?? null, read: result.read };
      },
    ),

    readSourcePeoplePage: guard(
      async (
        input: RunRef & {
          cursor: string | null;
          since: string | null;
          startedAt: string;
          dryRun: boolean;
          full: boolean;
        },
      ) => {
        const { connection, connector } = await open(input.connectionId);
        if (!canReadPeople(connector))
          throw ApplicationFailure.nonRetryable('cannot read people', 'invalid_config');
        const page = await connector.readPeople({
          cursor: input.cursor,
          changedSince: input.since,
          pageSize: tuning.pageSize,
        });
        activityHooks().heartbeat({ read: page.items.length });
        const result = await upsertPeoplePage(ds, {
          tenantId: connection.tenantId,
          connectionId: connection.id,
          people: page.items,
          removedExternalIds: page.removedExternalIds ?? [],
          seenAt: new Date(input.startedAt),
          markSeen: input.full,
          dryRun: input.dryRun,
        });
        await insertEvents(ds, await runOf(input.runId), result.events);
        await bumpCounts(ds, input.runId, { read: result.read, unchanged: result.unchanged });
        if (!input.dryRun && result.leaverIds.length > 0) await endSessions(result.leaverIds);
        return {
          nextCursor: page.nextCursor,
          watermark: page.watermark ?? null,
          read: result.read,
          changed: result.changedIds.length,
        };
      },
    ),

    /** Full reads: people the read no longer returned would become leavers; judged against the threshold first. */
    checkMissingPeople: guard(
      async (input: RunRef & { startedAt: string; read: number }): Promise<ThresholdVerdict> => {
        const connection = await load(input.connectionId);
        const [{ missing, total }] = (await ds.query(
          `SELECT count(*) FILTER (WHERE last_seen_at IS NULL OR last_seen_at < $2)::int AS missing, count(*)::int AS total
           FROM people WHERE source_connection_id = $1 AND status <> 'leaver' AND NOT (overrides ? 'status')`,
          [connection.id, input.startedAt],
        )) as [{ missing: number; total: number }];
        const verdict = judgeThreshold(connection, missing, total);
        // A source that suddenly returns nobody never empties the directory, whatever the threshold says.
        if (input.read === 0 && missing > 0) {
          return {
            ...verdict,
            exceeded: true,
            reason: `the source returned nobody; ${missing} people would become leavers`,
          };
        }
        return verdict;
      },
    ),

    // A status an admin set by hand (a contractor kept active past HR's record) wins here too, like every override.
    markMissingPeopleAsLeavers: guard(async (input: RunRef & { startedAt: string; dryRun: boolean }) => {
      const run = await runOf(input.runId);
      let total = 0;
      for (;;) {
        const rows = (await ds.query(
          input.dryRun
            ? `SELECT id, external_id, display_name FROM people WHERE source_connection_id = $1 AND status <> 'leaver'
                 AND NOT (overrides ? 'status')
                 AND (last_seen_at IS NULL OR last_seen_at < $2) ORDER BY id OFFSET $3 LIMIT 1000`
            : `WITH gone AS (
                 SELECT id FROM people WHERE source_connection_id = $1 AND status <> 'leaver'
                    AND NOT (overrides ? 'status')
                    AND (last_seen_at IS NULL OR last_seen_at < $2) AND $3::int >= 0 LIMIT 1000),
               upd AS (UPDATE people p SET status = 'leaver', updated_at = now(), version = p.version + 1 FROM gone
                        WHERE p.id = gone.id RETURNING p.id, p.external_id, p.display_name)
               SELECT * FROM upd`,
          [input.connectionId, input.startedAt, total],
        )) as { id: string; external_id: string; display_name: string }[];
        if (rows.length === 0) break;
        total += rows.length;
        await insertEvents(
          ds,
          run,
          rows.map((r) => ({
            objectType: 'person' as const,
            objectId: r.id,
            externalId: r.external_id,
            label: r.display_name,
            action: 'leaver' as const,
            status: input.dryRun ? ('planned' as const) : ('ok' as const),
            diff: {
              status: { from: 'active', to: 'leaver' },
              reason: { from: null, to: 'missing_from_full_read' },
            },
          })),
        );
        if (!input.dryRun) await endSessions(rows.map((r) => r.id));
        activityHooks().heartbeat({ leavers: total });
        if (rows.length < 1000) break;
      }
      return { leavers: total };
    }),

    linkSourceReferences: guard(async (input: { connectionId: string }) => {
      await linkSourceReferences(ds, input.connectionId);
    }),

    /**
     * After a full read that returned departments: the ones it no longer returned are retired (never deleted from
     * the directory: people and history still point at them); each target then deletes its copy once empty.
     */
    retireMissingDepartments: guard(async (input: RunRef & { startedAt: string; dryRun?: boolean }) => {
      const rows = (await ds.query(
        input.dryRun
          ? `SELECT id, external_id, name FROM departments
              WHERE source_connection_id = $1 AND status = 'active' AND (last_seen_at IS NULL OR last_seen_at < $2)`
          : `WITH gone AS (
               UPDATE departments SET status = 'deleted', updated_at = now(), version = version + 1
                WHERE source_connection_id = $1 AND status = 'active' AND (last_seen_at IS NULL OR last_seen_at < $2)
               RETURNING id, external_id, name) SELECT * FROM gone`,
        [input.connectionId, input.startedAt],
      )) as { id: string; external_id: string; name: string }[];
      await insertEvents(
        ds,
        await runOf(input.runId),
        rows.map((r) => ({
          objectType: 'department' as const,
          objectId: r.id,
          externalId: r.external_id,
          label: r.name,
          action: 'delete' as const,
          status: input.dryRun ? ('planned' as const) : ('ok' as const),
          diff: { status: { from: 'active', to: 'deleted' } },
        })),
      );
      return { retired: rows.length };
    }),

    /** The durable incremental state moves only after a whole read has committed. */
    commitSourceState: guard(
      async (input: { connectionId: string; watermark: string | null; mode: string; startedAt: string }) => {
        const patch: Record<string, unknown> = {
          [input.mode === 'full' ? 'lastFullReadAt' : 'lastIncrementalReadAt']: input.startedAt,
        };
        if (input.watermark) patch.watermark = input.watermark;
        await ds.query(
          `UPDATE connections SET sync_state = COALESCE(sync_state, '{}'::jsonb) || $2::jsonb WHERE id = $1`,
          [input.connectionId, JSON.stringify(patch)],
        );
      },
    ),

    /** Target connections fed by a source (same tenant family: a group's targets cover its subsidiaries). */
    listTargetsFor: guard(async (input: { connectionId?: string; tenantId?: string }): Promise<string[]> => {
      const tenantId = input.tenantId ?? (await load(input.connectionId ?? '')).tenantId;
      const ctx = await loadAccessContext(ds, tenantId);
      const rows = (await ds.query(
        `SELECT id FROM connections WHERE direction = 'target' AND enabled AND tenant_id = ANY($1) ORDER BY created_at`,
        [tenantFamily(ctx.tenants, tenantId)],
      )) as { id: string }[];
      return rows.map((r) => r.id);
    }),

    personTenant: guard(async (input: { personId: string }): Promise<string | null> => {
      const [row] = (await ds.query(`SELECT tenant_id FROM people WHERE id = $1`, [input.personId])) as {
        tenant_id: string;
      }[];
      return row?.tenant_id ?? null;
    }),

    // ---- targets (directory → accounts) ----

    reconcileTargetPage: guard(async (input: RunRef & { cursor: string | null; startedAt: string }) => {
      const { connection, connector } = await open(input.connectionId);
      const result = await reconcileTargetPage(ds, {
        connection,
        connector,
        cursor: input.cursor,
        pageSize: tuning.pageSize,
        seenAt: new Date(input.startedAt),
      });
      await bumpCounts(ds, input.runId, { adopted: result.adopted, unmanaged: result.unmanaged });
      return { nextCursor: result.nextCursor };
    }),

    forgetVanishedAccounts: guard(async (input: RunRef & { startedAt: string }) =>
      forgetVanishedAccounts(ds, input.connectionId, new Date(input.startedAt)),
    ),

    syncTargetDepartments: guard(async (input: RunRef & { dryRun: boolean }) => {
      const { connection, connector } = await open(input.connectionId);
      const events = await syncTargetDepartments(ds, {
        connection,
        connector,
        dryRun: input.dryRun,
        retry: retry(),
        heartbeat: activityHooks().heartbeat,
        concurrency: tuning.writeConcurrency,
      });
      await insertEvents(ds, await runOf(input.runId), events);
      return { changed: events.length };
    }),

    /** After the accounts moved out: departments the directory no longer has leave the target, when empty. */
    removeRetiredTargetDepartments: guard(
      async (input: RunRef & { dryRun: boolean; mode?: 'full' | 'incremental' }) => {
        const { connection, connector } = await open(input.connectionId);
        const events = await removeRetiredTargetDepartments(ds, {
          connection,
          connector,
          dryRun: input.dryRun,
          reportBlocked: input.dryRun || input.mode !== 'incremental',
          retry: retry(),
          heartbeat: activityHooks().heartbeat,
        });
        await insertEvents(ds, await runOf(input.runId), events);
        return { removed: events.filter((e) => e.status === 'ok').length };
      },
    ),

    provisionAccountsPage: guard(
      async (input: RunRef & { selection: PeopleSelection; after: string | null; dryRun: boolean }) => {
        const { connection, connector } = await open(input.connectionId);
        const result = await provisionAccountsPage(ds, {
          connection,
          connector,
          selection: input.selection,
          after: input.after,
          pageSize: tuning.pageSize,
          dryRun: input.dryRun,
          concurrency: tuning.writeConcurrency,
          retry: retry(),
          heartbeat: activityHooks().heartbeat,
        });
        await insertEvents(ds, await runOf(input.runId), result.events);
        await bumpCounts(ds, input.runId, {
          read: result.read,
          unchanged: result.unchanged,
          created: result.events.filter((e) => e.status === 'ok' && e.action === 'create').length,
          updated: result.events.filter((e) => e.status === 'ok' && e.action !== 'create').length,
          quarantined: result.events.filter((e) => e.status === 'quarantined').length,
          planned: result.events.filter((e) => e.status === 'planned').length,
        });
        return { nextAfter: result.nextAfter, affectedGroups: result.affectedGroups };
      },
    ),

    planGraceDeletes: guard(async (input: RunRef) =>
      planGraceDeletes(ds, input.runId, await load(input.connectionId)),
    ),

    checkRemovalThreshold: guard(async (input: RunRef): Promise<ThresholdVerdict> => {
      const connection = await load(input.connectionId);
      const { planned, base } = await countPlannedRemovals(ds, input.runId, connection.id);
      return judgeThreshold(connection, planned, base);
    }),

    applyPlannedPage: guard(async (input: RunRef & { afterEventId: string | null }) => {
      const { connection, connector } = await open(input.connectionId);
      return applyPlannedPage(ds, {
        runId: input.runId,
        connection,
        connector,
        afterEventId: input.afterEventId,
        limit: tuning.pageSize,
        concurrency: tuning.writeConcurrency,
        retry: retry(),
        heartbeat: activityHooks().heartbeat,
      });
    }),

    syncTargetGroups: guard(async (input: RunRef & { onlyGroups: string[] | null; dryRun: boolean }) => {
      const { connection, connector } = await open(input.connectionId);
      const events = await syncTargetGroups(ds, {
        connection,
        connector,
        onlyGroups: input.onlyGroups,
        dryRun: input.dryRun,
        retry: retry(),
        heartbeat: activityHooks().heartbeat,
      });
      await insertEvents(ds, await runOf(input.runId), events);
      return { changed: events.length };
    }),

    commitTargetState: guard(async (input: { connectionId: string; startedAt: string }) => {
      // A small overlap: a change committed while the run was starting is picked up again next time, never lost.
      const through = new Date(new Date(input.startedAt).getTime() - 1_000).toISOString();
      await ds.query(
        `UPDATE connections SET sync_state = COALESCE(sync_state, '{}'::jsonb) || $2::jsonb WHERE id = $1`,
        [input.connectionId, JSON.stringify({ provisionedThrough: through })],
      );
    }),

    // ---- runs, holds and approvals ----

    holdRun: guard(
      async (
        input: RunRef & { workflowId: string; verdict: ThresholdVerdict },
      ): Promise<{ approvalId: string }> => {
        const connection = await load(input.connectionId);
        const [existing] = (await ds.query(
          `SELECT id FROM approvals WHERE run_id = $1 AND status = 'pending'`,
          [input.runId],
        )) as { id: string }[];
        await setRunStatus(ds, input.runId, 'held');
        if (existing) return { approvalId: existing.id };
        const sample = (await ds.query(
          `SELECT label, action, external_id FROM sync_events WHERE run_id = $1 AND status = 'planned' ORDER BY id LIMIT 20`,
          [input.runId],
        )) as unknown[];
        const [row] = (await ds.query(
          `INSERT INTO approvals (tenant_id, run_id, connection_id, workflow_id, reason, summary, status, version)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', 1) RETURNING id`,
          [
            connection.tenantId,
            input.runId,
            connection.id,
            input.workflowId,
            input.verdict.reason,
            JSON.stringify({ planned: input.verdict.planned, base: input.verdict.base, sample }),
          ],
        )) as [{ id: string }];
        deps.log.warn(
          { runId: input.runId, connectionId: connection.id, reason: input.verdict.reason },
          'sync run held for approval',
        );
        return { approvalId: row.id };
      },
    ),

    recordDecision: guard(async (input: { runId: string; approved: boolean; by: string | null }) => {
      await ds.query(
        `UPDATE approvals SET status = $2, decided_by = $3, decided_at = now(), updated_at = now(), version = version + 1
          WHERE run_id = $1 AND status = 'pending'`,
        [input.runId, input.approved ? 'approved' : 'rejected', input.by],
      );
      if (input.approved) await setRunStatus(ds, input.runId, 'running');
    }),

    finishSyncRun: guard(
      async (input: {
        runId: string;
        status: SyncRunStatus;
        error?: { code: string; message: string } | null;
      }) => finishRun(ds, input.runId, input.status, input.error ?? null),
    ),
  };

  async function endSessions(personIds: string[]): Promise<void> {
    if (!deps.endSessionsForPeople) return;
    try {
      await deps.endSessionsForPeople(personIds);
    } catch (error) {
      // Accounts are the priority; sessions expire on their own, and the next run does not retry this.
      deps.log.error({ err: error, count: personIds.length }, 'could not end leavers’ sessions');
    }
  }
}

export type SyncActivities = ReturnType<typeof createSyncActivities>;
