import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import { loadAccessContext, tenantSubtree } from '../access/access-context.js';
import { stateHash } from '../access/state-hash.js';
import { canWriteDepartments, type OpenedConnector } from './connector-port.js';
import { mapPool, withObjectRetry, type RetryOptions } from './failure-policy.js';
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
    /** Departments of one tree level written at once. */
    concurrency?: number;
  },
): Promise<NewSyncEvent[]> {
  const { connection, connector } = input;
  if (!canWriteDepartments(connector)) return [];
  const ctx = await loadAccessContext(ds, connection.tenantId);
  const tenants = new Set(tenantSubtree(ctx.tenants, connection.tenantId));
  const rows = (await ds.query(
    `SELECT id, parent_id, name, code, tenant_id FROM departments WHERE status = 'active' AND tenant_id = ANY($1)`,
    [[...tenants]],
  )) as Department[];
  const records = new Map(
    (
      (await ds.query(
        `SELECT object_key, external_id, state_hash FROM target_records WHERE connection_id = $1 AND object_type = 'department'`,
        [connection.id],
      )) as { object_key: string; external_id: string | null; state_hash: string | null }[]
    ).map((r) => [r.object_key, r]),
  );
  const synced = new Map(rows.map((r) => [r.id, r]));
  const concurrency = Math.max(1, input.concurrency ?? 8);
  const events: NewSyncEvent[] = [];
  let n = 0;
  // One level of the tree at a time, its departments written concurrently: their parents are all in the target
  // already, and siblings do not depend on each other. A tree of thousands then costs its depth in round trips,
  // not its size.
  for (const level of levels(rows)) {
    const parents = new Map(
      level.map((dept) => [
        dept.id,
        dept.parent_id ? (records.get(dept.parent_id)?.external_id ?? null) : null,
      ]),
    );
    const written: {
      dept: Department;
      externalId: string;
      hash: string;
      desired: Record<string, unknown>;
    }[] = [];
    const outcomes = await mapPool(level, concurrency, async (dept): Promise<NewSyncEvent | null> => {
      n += 1;
      if (n % 25 === 0) input.heartbeat({ done: n });
      const parent = dept.parent_id ? synced.get(dept.parent_id) : undefined;
      const parentExternalId = parents.get(dept.id) ?? null;
      const record = records.get(dept.id);
      if (parent && !parentExternalId && !input.dryRun) {
        // Its parent is not in the target (its create failed): hanging it under the root instead would misplace
        // the whole branch. It waits, quarantined, and follows once the parent is there.
        return {
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
        };
      }
      const desired = { correlationId: dept.id, name: dept.name, parentExternalId, code: dept.code };
      const hash = stateHash(desired);
      if (record?.state_hash === hash && record.external_id) return null;
      if (input.dryRun) {
        return {
          objectType: 'department',
          objectId: dept.id,
          label: dept.name,
          action: record ? 'update' : 'create',
          status: 'planned',
        };
      }
      // The recorded id, not part of the hash: the connector updates that department rather than deriving an id.
      const upsert = { ...desired, externalId: record?.external_id ?? null };
      const outcome = await withObjectRetry(() => connector.upsertDepartment(upsert), input.retry);
      if (outcome.ok) written.push({ dept, externalId: outcome.value.externalId, hash, desired });
      return {
        objectType: 'department',
        objectId: dept.id,
        externalId: outcome.ok ? outcome.value.externalId : (record?.external_id ?? null),
        label: dept.name,
        action: record ? 'update' : 'create',
        status: outcome.ok ? 'ok' : 'quarantined',
        ...(outcome.ok ? {} : { error: outcome.error }),
        attempts: outcome.attempts,
      };
    });
    // The level's target ids in one statement, before the next level needs them as parents. A crash before it
    // costs only lookups: the connector finds each department by its derived or recorded id and updates it.
    if (written.length > 0) {
      await ds.query(
        `INSERT INTO target_records (tenant_id, connection_id, object_type, object_key, external_id, state_hash, last_pushed, version)
         SELECT $1, $2, 'department', k, e, h, p, 1 FROM unnest($3::uuid[], $4::varchar[], $5::varchar[], $6::jsonb[])
           AS w(k, e, h, p)
         ON CONFLICT (connection_id, object_type, object_key) DO UPDATE SET external_id = EXCLUDED.external_id,
           state_hash = EXCLUDED.state_hash, last_pushed = EXCLUDED.last_pushed, updated_at = now(),
           version = target_records.version + 1`,
        [
          connection.tenantId,
          connection.id,
          written.map((w) => w.dept.id),
          written.map((w) => w.externalId),
          written.map((w) => w.hash),
          written.map((w) => JSON.stringify(w.desired)),
        ],
      );
      for (const w of written) {
        records.set(w.dept.id, { object_key: w.dept.id, external_id: w.externalId, state_hash: w.hash });
      }
    }
    for (const event of outcomes) if (event) events.push(event);
  }
  return events;
}

interface Department {
  id: string;
  parent_id: string | null;
  name: string;
  code: string | null;
}

/**
 * The tree by depth, roots first, each level in id order; a cycle or a dangling parent is treated as a root rather
 * than looping.
 */
function levels<T extends { id: string; parent_id: string | null }>(rows: T[]): T[][] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const depthOf = (row: T): number => {
    let d = 0;
    let current: T | undefined = row;
    const seen = new Set<string>();
    while (current?.parent_id && byId.has(current.parent_id) && !seen.has(current.id) && d < 64) {
      seen.add(current.id);
      current = byId.get(current.parent_id);
      d += 1;
    }
    return d;
  };
  const out: T[][] = [];
  for (const row of [...rows].sort((a, b) => a.id.localeCompare(b.id))) {
    const d = depthOf(row);
    while (out.length <= d) out.push([]);
    out[d]?.push(row);
  }
  return out.filter((level) => level.length > 0);
}
