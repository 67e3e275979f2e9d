import type { DataSource } from 'typeorm';
import type { SourceDepartment } from '../../connectors/kit/contract.js';
import {
  DEPARTMENT_OVERRIDE_COLUMNS,
  MANAGER_OVERRIDE,
  keepOverridden,
  shadowSourceValues,
} from '../access/override-columns.js';
import { stateHash } from '../access/state-hash.js';
import { departmentColumns } from './source-records.js';
import type { NewSyncEvent } from './run-records.js';

/** A department of this source as the directory holds it before the page is written. */
interface ExistingDepartment {
  id: string;
  external_id: string;
  source_hash: string | null;
  name: string;
  code: string | null;
  parent_external_id: string | null;
  cost_center: string | null;
  overrides: Record<string, unknown>;
  status: string;
}

/** Upserts one page of source departments; parents are linked after the whole read (children may come first). */
export async function upsertDepartmentsPage(
  ds: DataSource,
  input: {
    tenantId: string;
    connectionId: string;
    departments: SourceDepartment[];
    seenAt: Date;
    dryRun: boolean;
  },
): Promise<{ read: number; unchanged: number; events: NewSyncEvent[] }> {
  const items = input.departments.map((d) => {
    const columns = departmentColumns(d);
    return { externalId: d.externalId, columns, hash: stateHash(columns) };
  });
  if (items.length === 0) return { read: 0, unchanged: 0, events: [] };
  const existing = (await ds.query(
    `SELECT id, external_id, source_hash, name, code, parent_external_id, cost_center, overrides, status FROM departments
      WHERE source_connection_id = $1 AND external_id = ANY($2)`,
    [input.connectionId, items.map((i) => i.externalId)],
  )) as ExistingDepartment[];
  const byExternal = new Map(existing.map((e) => [e.external_id, e]));
  // A retired department HR lists again comes back, even when nothing else about it changed.
  const changed = items.filter((i) => {
    const before = byExternal.get(i.externalId);
    return before?.source_hash !== i.hash || before.status !== 'active';
  });
  // A change HR made only to fields an admin overrides is written (hash, shadowed values) but is no event.
  const visible = (c: (typeof changed)[number], event: NewSyncEvent): boolean =>
    !byExternal.get(c.externalId) || event.action !== 'update' || Object.keys(event.diff ?? {}).length > 0;
  await ds.query(
    `UPDATE departments SET last_seen_at = $3 WHERE source_connection_id = $1 AND external_id = ANY($2)`,
    [input.connectionId, items.map((i) => i.externalId), input.seenAt],
  );
  const events: NewSyncEvent[] = [];
  if (changed.length > 0 && !input.dryRun) {
    const rows = (await ds.query(
      `INSERT INTO departments (tenant_id, source_connection_id, external_id, name, code, parent_external_id, cost_center,
         status, source_hash, last_seen_at, version)
       SELECT $1, $2, u.external_id, u.name, u.code, u.parent_external_id, u.cost_center, 'active', u.h, $3, 1
         FROM unnest($4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::varchar[])
           AS u(external_id, name, code, parent_external_id, cost_center, h)
       ON CONFLICT (source_connection_id, external_id) DO UPDATE SET
         ${keepOverridden('departments', DEPARTMENT_OVERRIDE_COLUMNS)},
         parent_external_id = EXCLUDED.parent_external_id, status = 'active',
         ${shadowSourceValues('departments', DEPARTMENT_OVERRIDE_COLUMNS)},
         source_hash = EXCLUDED.source_hash, last_seen_at = EXCLUDED.last_seen_at, updated_at = now(),
         version = departments.version + 1
       RETURNING id, external_id`,
      [
        input.tenantId,
        input.connectionId,
        input.seenAt,
        changed.map((c) => c.externalId),
        changed.map((c) => c.columns.name),
        changed.map((c) => c.columns.code),
        changed.map((c) => c.columns.parentExternalId),
        changed.map((c) => c.columns.costCenter),
        changed.map((c) => c.hash),
      ],
    )) as { id: string; external_id: string }[];
    const ids = new Map(rows.map((r) => [r.external_id, r.id]));
    for (const c of changed) {
      const event = departmentEvent(c, byExternal.get(c.externalId), ids.get(c.externalId) ?? null, 'ok');
      if (visible(c, event)) events.push(event);
    }
  } else {
    for (const c of changed) {
      const event = departmentEvent(
        c,
        byExternal.get(c.externalId),
        byExternal.get(c.externalId)?.id ?? null,
        input.dryRun ? 'planned' : 'ok',
      );
      if (visible(c, event)) events.push(event);
    }
  }
  return { read: items.length, unchanged: items.length - events.length, events };
}

function departmentEvent(
  item: { externalId: string; columns: ReturnType<typeof departmentColumns> },
  before: ExistingDepartment | undefined,
  id: string | null,
  status: 'ok' | 'planned',
): NewSyncEvent {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const pairs: [string, unknown, unknown][] = [
    ['name', before?.name ?? null, item.columns.name],
    ['code', before?.code ?? null, item.columns.code],
    ['parentExternalId', before?.parent_external_id ?? null, item.columns.parentExternalId],
    ['costCenter', before?.cost_center ?? null, item.columns.costCenter],
  ];
  // An overridden field keeps the directory's value: the source's differing one is no change.
  for (const [key, from, to] of pairs)
    if (from !== to && !(before && key in before.overrides)) diff[key] = { from, to };
  if (before && before.status !== 'active') diff.status = { from: before.status, to: 'active' };
  return {
    objectType: 'department',
    objectId: id,
    externalId: item.externalId,
    label: before && 'name' in before.overrides ? before.name : item.columns.name,
    action: before ? (diff.parentExternalId ? 'move' : 'update') : 'create',
    status,
    diff,
  };
}

/** After a read: parents and managers by source id, set-based. Touched people count as changed (mappings see managers). */
export async function linkSourceReferences(ds: DataSource, connectionId: string): Promise<void> {
  await ds.query(
    `UPDATE departments d SET parent_id = p.id FROM departments p
      WHERE d.source_connection_id = $1 AND p.source_connection_id = $1 AND p.external_id = d.parent_external_id
        AND d.parent_id IS DISTINCT FROM p.id`,
    [connectionId],
  );
  await ds.query(
    `UPDATE departments SET parent_id = NULL WHERE source_connection_id = $1 AND parent_external_id IS NULL AND parent_id IS NOT NULL`,
    [connectionId],
  );
  await ds.query(
    `UPDATE people x SET manager_id = m.id, updated_at = now() FROM people m
      WHERE x.source_connection_id = $1 AND m.source_connection_id = $1 AND m.external_id = x.manager_external_id
        AND x.manager_id IS DISTINCT FROM m.id AND NOT (x.overrides ? '${MANAGER_OVERRIDE}')`,
    [connectionId],
  );
}
