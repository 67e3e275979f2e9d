import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import { loadAccessContext, tenantSubtree } from '../access/access-context.js';
import { canWriteDepartments, type OpenedConnector } from './connector-port.js';
import { withObjectRetry, type RetryOptions } from './failure-policy.js';
import type { NewSyncEvent } from './run-records.js';

interface PushedDepartment {
  objectKey: string;
  externalId: string;
  name: string;
  /** The target id of its parent as last pushed: the target's own tree, which decides the delete order. */
  parentExternalId: string | null;
  /** Still wanted in the target (an active department of the connection's tenants). */
  wanted: boolean;
  /** Accounts of this connection, not deleted, whose person the directory places in this department. */
  accounts: { active: number; disabled: number };
}

/**
 * After a target pass: departments Junction once created in the target that the directory no longer has (HR
 * removed them, or they left the connection's tenants) are deleted there, children before parents. A department
 * that still holds accounts or sub-departments is left in place and reported, so the admin sees why it stays; the
 * next run tries again once it is empty. Connections set to "upsert only" never lose a department.
 */
export async function removeRetiredTargetDepartments(
  ds: DataSource,
  input: {
    connection: Connection;
    connector: OpenedConnector;
    dryRun: boolean;
    /**
     * Report the departments that stay because they are not empty. Full runs do; the frequent incremental ones
     * still delete what became empty but do not repeat the same report (and mark every run) until then.
     */
    reportBlocked: boolean;
    retry: RetryOptions;
    heartbeat: (details?: unknown) => void;
  },
): Promise<NewSyncEvent[]> {
  const { connection, connector } = input;
  if (!canWriteDepartments(connector) || connection.deletion?.leaverAction === 'none') return [];
  const ctx = await loadAccessContext(ds, connection.tenantId);
  const pushed = await loadPushed(ds, connection.id, tenantSubtree(ctx.tenants, connection.tenantId));
  const retired = pushed.filter((d) => !d.wanted);
  if (retired.length === 0) return [];

  const present = new Set(pushed.map((d) => d.externalId));
  const children = new Map<string, Set<string>>();
  for (const d of pushed) {
    if (!d.parentExternalId) continue;
    const set = children.get(d.parentExternalId) ?? new Set<string>();
    set.add(d.externalId);
    children.set(d.parentExternalId, set);
  }
  const depth = depthIn(pushed);
  const events: NewSyncEvent[] = [];
  let n = 0;
  // Deepest first: a parent is tried only after the children this pass could remove are gone.
  for (const dept of [...retired].sort((a, b) => depth(b) - depth(a) || a.name.localeCompare(b.name))) {
    n += 1;
    if (n % 25 === 0) input.heartbeat({ removing: n });
    const subDepartments = [...(children.get(dept.externalId) ?? [])].filter((id) => present.has(id)).length;
    const base = {
      objectType: 'department' as const,
      objectId: dept.objectKey,
      externalId: dept.externalId,
      label: dept.name,
    };
    if (dept.accounts.active > 0 || subDepartments > 0) {
      if (!input.reportBlocked) continue;
      events.push({
        ...base,
        action: input.dryRun ? 'skip' : 'delete',
        status: input.dryRun ? 'planned' : 'quarantined',
        error: { code: 'department_not_empty', message: notEmptyMessage(dept, subDepartments) },
      });
      continue;
    }
    if (input.dryRun) {
      present.delete(dept.externalId);
      events.push({ ...base, action: 'delete', status: 'planned' });
      continue;
    }
    const outcome = await withObjectRetry(() => connector.deleteDepartment(dept.externalId), input.retry);
    if (outcome.ok) {
      present.delete(dept.externalId);
      await ds.query(
        `DELETE FROM target_records WHERE connection_id = $1 AND object_type = 'department' AND object_key = $2`,
        [connection.id, dept.objectKey],
      );
    }
    if (!outcome.ok && outcome.error.code === 'conflict' && !input.reportBlocked) continue;
    events.push({
      ...base,
      action: 'delete',
      status: outcome.ok ? 'ok' : 'quarantined',
      ...(outcome.ok
        ? {}
        : {
            // The vendor refusing (members Junction does not manage, say) is the same "not empty" to the admin.
            error:
              outcome.error.code === 'conflict'
                ? {
                    ...outcome.error,
                    code: 'department_not_empty',
                    message: refusedMessage(dept, outcome.error.message),
                  }
                : outcome.error,
          }),
      attempts: outcome.attempts,
    });
  }
  return events;
}

function notEmptyMessage(dept: PushedDepartment, subDepartments: number): string {
  const parts: string[] = [];
  if (dept.accounts.active > 0) parts.push(`${dept.accounts.active} active account(s)`);
  if (subDepartments > 0) parts.push(`${subDepartments} sub-department(s)`);
  return `removed from the directory but still holds ${parts.join(' and ')} in the target; it is deleted there once they are moved or removed`;
}

function refusedMessage(dept: PushedDepartment, vendorMessage: string): string {
  const disabled =
    dept.accounts.disabled > 0 ? ` (${dept.accounts.disabled} disabled account(s) sit there)` : '';
  return `the target refused to delete it, it is not empty${disabled}: ${vendorMessage}`.slice(0, 1000);
}

/** Every department this connection has in the target, with whether the directory still wants it and its members. */
async function loadPushed(
  ds: DataSource,
  connectionId: string,
  tenantIds: string[],
): Promise<PushedDepartment[]> {
  const rows = (await ds.query(
    `SELECT r.object_key, r.external_id, COALESCE(d.name, r.last_pushed->>'name', r.object_key) AS name,
            r.last_pushed->>'parentExternalId' AS parent_external_id,
            (d.status = 'active' AND d.tenant_id = ANY($2)) IS TRUE AS wanted,
            COALESCE(m.active, 0)::int AS active, COALESCE(m.disabled, 0)::int AS disabled
       FROM target_records r
       LEFT JOIN departments d ON d.id::text = r.object_key
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE a.status = 'active') AS active,
                count(*) FILTER (WHERE a.status = 'disabled') AS disabled
           FROM people p JOIN accounts a ON a.person_id = p.id AND a.connection_id = $1
          WHERE p.department_id = d.id) m ON true
      WHERE r.connection_id = $1 AND r.object_type = 'department' AND r.external_id IS NOT NULL`,
    [connectionId, tenantIds],
  )) as {
    object_key: string;
    external_id: string;
    name: string;
    parent_external_id: string | null;
    wanted: boolean;
    active: number;
    disabled: number;
  }[];
  return rows.map((r) => ({
    objectKey: r.object_key,
    externalId: r.external_id,
    name: r.name,
    parentExternalId: r.parent_external_id,
    wanted: r.wanted,
    accounts: { active: r.active, disabled: r.disabled },
  }));
}

/** Depth in the target's tree as pushed; a cycle or a parent the target does not know counts as a root. */
function depthIn(pushed: PushedDepartment[]): (d: PushedDepartment) => number {
  const parentOf = new Map(pushed.map((d) => [d.externalId, d.parentExternalId]));
  const memo = new Map<string, number>();
  return (d) => {
    const known = memo.get(d.externalId);
    if (known !== undefined) return known;
    let depth = 0;
    let parent = d.parentExternalId;
    const seen = new Set([d.externalId]);
    while (parent && parentOf.has(parent) && !seen.has(parent) && depth < 64) {
      seen.add(parent);
      parent = parentOf.get(parent) ?? null;
      depth += 1;
    }
    memo.set(d.externalId, depth);
    return depth;
  };
}
