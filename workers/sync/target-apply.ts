import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import { isConnectorError } from '../../connectors/kit/errors.js';
import { canWriteAccounts, type OpenedConnector } from './connector-port.js';
import { mapPool, withObjectRetry, type RetryOptions } from './failure-policy.js';

/**
 * Executes a page of a run's planned disables and deletes (after the threshold check or an approval). Each event
 * flips from `planned` to `ok` or `quarantined` in place, so a retried page skips what is done.
 */
export async function applyPlannedPage(
  ds: DataSource,
  input: {
    runId: string;
    connection: Connection;
    connector: OpenedConnector;
    afterEventId: string | null;
    limit: number;
    concurrency: number;
    retry: RetryOptions;
    heartbeat: (details?: unknown) => void;
  },
): Promise<{ nextAfter: string | null; applied: number; affectedGroups: string[] }> {
  const rows = (await ds.query(
    `SELECT e.id, e.action, e.object_id, a.external_id, a.groups, a.status
       FROM sync_events e JOIN accounts a ON a.id = e.object_id
      WHERE e.run_id = $1 AND e.status = 'planned' AND e.action IN ('disable', 'delete') AND e.id > $2
      ORDER BY e.id LIMIT $3`,
    [input.runId, input.afterEventId ?? '0', input.limit],
  )) as {
    id: string;
    action: 'disable' | 'delete';
    object_id: string;
    external_id: string | null;
    groups: string[];
    status: string;
  }[];
  if (rows.length === 0) return { nextAfter: null, applied: 0, affectedGroups: [] };
  const { connector, connection } = input;
  if (!canWriteAccounts(connector))
    throw new Error(`connector ${connection.connectorId} cannot write accounts`);
  const graceMs =
    connection.deletion.leaverAction === 'delete' ? connection.deletion.graceDays * 86_400_000 : null;
  const affected = new Set<string>();
  let done = 0;
  await mapPool(rows, input.concurrency, async (row) => {
    for (const g of row.groups) affected.add(g);
    const outcome = await withObjectRetry(async () => {
      if (!row.external_id) return;
      try {
        if (row.action === 'delete') await connector.deleteAccount(row.external_id);
        else await connector.disableAccount(row.external_id);
      } catch (error) {
        // Already gone in the target is what we wanted.
        if (!(isConnectorError(error) && error.connectorCode === 'not_found')) throw error;
      }
    }, input.retry);
    if (outcome.ok) {
      if (row.action === 'delete') {
        await ds.query(
          `UPDATE accounts SET status = 'deleted', external_id = NULL, groups = '{}', state_hash = NULL, delete_after = NULL,
             updated_at = now(), version = version + 1 WHERE id = $1`,
          [row.object_id],
        );
      } else {
        await ds.query(
          `UPDATE accounts SET status = 'disabled', disabled_at = now(), groups = '{}', state_hash = NULL,
             delete_after = CASE WHEN $2::bigint IS NULL THEN NULL ELSE now() + ($2::bigint * interval '1 millisecond') END,
             updated_at = now(), version = version + 1 WHERE id = $1`,
          [row.object_id, graceMs],
        );
      }
      await ds.query(`UPDATE sync_events SET status = 'ok', attempts = $2 WHERE id = $1`, [
        row.id,
        outcome.attempts,
      ]);
    } else {
      await ds.query(
        `UPDATE sync_events SET status = 'quarantined', error = $2, attempts = $3 WHERE id = $1`,
        [row.id, JSON.stringify(outcome.error), outcome.attempts],
      );
    }
    done += 1;
    if (done % 25 === 0) input.heartbeat({ done });
  });
  return {
    nextAfter: rows[rows.length - 1]?.id ?? null,
    applied: rows.length,
    affectedGroups: [...affected],
  };
}

/** Disabled leavers whose grace period is over become planned deletes of this run (set-based, any size). */
export async function planGraceDeletes(
  ds: DataSource,
  runId: string,
  connection: Connection,
): Promise<number> {
  if (connection.deletion.leaverAction !== 'delete') return 0;
  const rows = (await ds.query(
    `WITH due AS (
       SELECT a.id, a.external_id, p.display_name FROM accounts a JOIN people p ON p.id = a.person_id
        WHERE a.connection_id = $2 AND a.status = 'disabled' AND a.delete_after <= now() AND a.external_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM sync_events e WHERE e.run_id = $1 AND e.object_id = a.id)
     ), ins AS (
       INSERT INTO sync_events (run_id, tenant_id, connection_id, object_type, object_id, external_id, label, action, status, diff)
       SELECT $1, $3, $2, 'account', id, external_id, display_name, 'delete', 'planned', '{"reason": {"from": null, "to": "grace_period_over"}}'::jsonb
         FROM due RETURNING 1
     ) SELECT count(*)::int AS n FROM ins`,
    [runId, connection.id, connection.tenantId],
  )) as [{ n: number }];
  return rows[0].n;
}

export interface ThresholdVerdict {
  exceeded: boolean;
  planned: number;
  base: number;
  reason: string;
}

/**
 * The deletion threshold: more than `thresholdCount` or `thresholdPercent`% of the managed accounts to disable or
 * delete in one run holds it for approval (Okta pauses imports past 20%; Entra quarantines on its threshold).
 */
export function judgeThreshold(connection: Connection, planned: number, base: number): ThresholdVerdict {
  const { thresholdCount, thresholdPercent } = connection.deletion;
  const share = base > 0 ? (planned * 100) / base : planned > 0 ? 100 : 0;
  const exceeded = planned > thresholdCount || share > thresholdPercent;
  return {
    exceeded,
    planned,
    base,
    reason: exceeded
      ? `would disable or delete ${planned} of ${base} (${share.toFixed(1)}%), over the threshold of ${thresholdCount} or ${thresholdPercent}%`
      : 'within the threshold',
  };
}

export async function countPlannedRemovals(
  ds: DataSource,
  runId: string,
  connectionId: string,
): Promise<{ planned: number; base: number }> {
  const [{ planned }] = (await ds.query(
    `SELECT count(*)::int AS planned FROM sync_events WHERE run_id = $1 AND status = 'planned' AND action IN ('disable', 'delete')`,
    [runId],
  )) as [{ planned: number }];
  const [{ base }] = (await ds.query(
    `SELECT count(*)::int AS base FROM accounts WHERE connection_id = $1 AND status IN ('active', 'disabled')`,
    [connectionId],
  )) as [{ base: number }];
  return { planned, base };
}
