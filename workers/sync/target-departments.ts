import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import { loadAccessContext, tenantSubtree } from '../access/access-context.js';
import { stateHash } from '../access/state-hash.js';
import { canWriteDepartments, type OpenedConnector } from './connector-port.js';
import { withObjectRetry, type RetryOptions } from './failure-policy.js';
import type { NewSyncEvent } from './run-records.js';

/**
 * Data sync of the directory's department tree into a target's org tree (WeCom departments, LDAP OUs, Kingdee
 * admin orgs): parents before children, unchanged departments skipped by hash, each target id remembered so
 * accounts can be placed. Department counts are in the thousands at most, so one activity walks the tree with
 * heartbeats.
 */
export async function syncTargetDepartments(
  ds: DataSource,
  input: {
    connection: Connection;
    connector: OpenedConnector;
    dryRun: boolean;
    retry: RetryOptions;
    heartbeat: (details?: unknown) => void;
  },
): Promise<NewSyncEvent[]> {
  const { connection, connector } = input;
  if (!canWriteDepartments(connector)) return [];
  const ctx = await loadAccessContext(ds, connection.tenantId);
  const tenants = new Set(tenantSubtree(ctx.tenants, connection.tenantId));
  const rows = (await ds.query(
    `SELECT id, parent_id, name, code, tenant_id FROM departments WHERE status = 'active' AND tenant_id = ANY($1)`,
    [[...tenants]],
  )) as { id: string; parent_id: string | null; name: string; code: string | null }[];
  const records = new Map(
    (
      (await ds.query(
        `SELECT object_key, external_id, state_hash FROM target_records WHERE connection_id = $1 AND object_type = 'department'`,
        [connection.id],
      )) as { object_key: string; external_id: string | null; state_hash: string | null }[]
    ).map((r) => [r.object_key, r]),
  );
  const events: NewSyncEvent[] = [];
  const ordered = topological(rows);
  const synced = new Map(rows.map((r) => [r.id, r]));
  let n = 0;
  for (const dept of ordered) {
    n += 1;
    if (n % 25 === 0) input.heartbeat({ done: n });
    const parent = dept.parent_id ? synced.get(dept.parent_id) : undefined;
    const parentExternalId = dept.parent_id ? (records.get(dept.parent_id)?.external_id ?? null) : null;
    if (parent && !parentExternalId && !input.dryRun) {
      // Its parent is not in the target (its create failed): hanging it under the root instead would misplace
      // the whole branch. It waits, quarantined, and follows once the parent is there.
      const record = records.get(dept.id);
      events.push({
        objectType: 'department',
        objectId: dept.id,
        externalId: record?.external_id ?? null,
        label: dept.name,
        action: record ? 'update' : 'create',
        status: 'quarantined',
        error: {
          code: 'parent_not_synced',
          message: `its parent department "${parent.name}" is not in the target; it follows once the parent is`,
        },
      });
      continue;
    }
    const desired = { correlationId: dept.id, name: dept.name, parentExternalId, code: dept.code };
    const hash = stateHash(desired);
    const record = records.get(dept.id);
    if (record?.state_hash === hash && record.external_id) continue;
    if (input.dryRun) {
      events.push({
        objectType: 'department',
        objectId: dept.id,
        label: dept.name,
        action: record ? 'update' : 'create',
        status: 'planned',
      });
      continue;
    }
    // The recorded id, not part of the hash: the connector updates that department rather than deriving an id.
    const upsert = { ...desired, externalId: record?.external_id ?? null };
    const outcome = await withObjectRetry(() => connector.upsertDepartment(upsert), input.retry);
    if (outcome.ok) {
      await ds.query(
        `INSERT INTO target_records (tenant_id, connection_id, object_type, object_key, external_id, state_hash, last_pushed, version)
         VALUES ($1, $2, 'department', $3, $4, $5, $6, 1)
         ON CONFLICT (connection_id, object_type, object_key) DO UPDATE SET external_id = EXCLUDED.external_id,
           state_hash = EXCLUDED.state_hash, last_pushed = EXCLUDED.last_pushed, updated_at = now(),
           version = target_records.version + 1`,
        [
          connection.tenantId,
          connection.id,
          dept.id,
          outcome.value.externalId,
          hash,
          JSON.stringify(desired),
        ],
      );
      records.set(dept.id, { object_key: dept.id, external_id: outcome.value.externalId, state_hash: hash });
    }
    events.push({
      objectType: 'department',
      objectId: dept.id,
      externalId: outcome.ok ? outcome.value.externalId : (record?.external_id ?? null),
      label: dept.name,
      action: record ? 'update' : 'create',
      status: outcome.ok ? 'ok' : 'quarantined',
      ...(outcome.ok ? {} : { error: outcome.error }),
      attempts: outcome.attempts,
    });
  }
  return events;
}

/** Parents before children; a cycle or a dangling parent is treated as a root rather than looping. */
function topological<T extends { id: string; parent_id: string | null }>(rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const depth = new Map<string, number>();
  const depthOf = (row: T): number => {
    const known = depth.get(row.id);
    if (known !== undefined) return known;
    let d = 0;
    let current: T | undefined = row;
    const seen = new Set<string>();
    while (current?.parent_id && byId.has(current.parent_id) && !seen.has(current.id) && d < 64) {
      seen.add(current.id);
      current = byId.get(current.parent_id);
      d += 1;
    }
    depth.set(row.id, d);
    return d;
  };
  return [...rows].sort((a, b) => depthOf(a) - depthOf(b) || a.id.localeCompare(b.id));
}
