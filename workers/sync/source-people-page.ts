import type { DataSource } from 'typeorm';
import type { SourcePerson } from '../../connectors/kit/contract.js';
import { Person } from '../../core/entities/index.js';
import { loadAccessContext, loadPersonViews } from '../access/access-context.js';
import { fieldDiff } from '../access/field-diff.js';
import {
  MANAGER_OVERRIDE,
  PERSON_OVERRIDE_COLUMNS,
  keepOverridden,
  personSnapshotKey,
  shadowSourceValues,
} from '../access/override-columns.js';
import { applyRoleRules } from '../access/role-rules.js';
import { personColumns, personHash, type PersonColumns } from './source-records.js';
import { plannedRoleChanges, type PlannedPerson } from './planned-roles.js';
import type { NewSyncEvent } from './run-records.js';

interface ExistingRow {
  id: string;
  external_id: string | null;
  source_hash: string | null;
  status: string;
  snapshot: PersonColumns | null;
  /** The admin's overrides: those fields keep the directory's value whatever the source says. */
  overrides: Record<string, unknown>;
}

export interface PeoplePageResult {
  read: number;
  unchanged: number;
  events: NewSyncEvent[];
  leaverIds: string[];
  changedIds: string[];
}

/**
 * Upserts one page of source people into the directory: unchanged hashes cost one batched `last_seen_at` update;
 * changed and new people are written in one statement (falling back to one at a time so a single bad record is
 * quarantined, not the page); then rule-given roles of the changed people are recomputed.
 */
export async function upsertPeoplePage(
  ds: DataSource,
  input: {
    tenantId: string;
    connectionId: string;
    people: SourcePerson[];
    removedExternalIds: string[];
    seenAt: Date;
    markSeen: boolean;
    dryRun: boolean;
  },
): Promise<PeoplePageResult> {
  const { connectionId, tenantId } = input;
  const byExternal = new Map<string, SourcePerson>();
  for (const p of input.people) byExternal.set(p.externalId, p); // a vendor repeating a record: last one wins
  const externalIds = [...byExternal.keys()];
  const existing = await loadExisting(ds, connectionId, externalIds);
  await adoptUnsourced(ds, tenantId, connectionId, [...byExternal.values()], existing, input.dryRun);

  const departmentIds = await resolveDepartments(
    ds,
    connectionId,
    [...byExternal.values()].map((p) => p.departmentExternalId),
  );
  const events: NewSyncEvent[] = [];
  const unchangedIds: string[] = [];
  const toWrite: {
    externalId: string;
    columns: PersonColumns;
    hash: string;
    before: ExistingRow | undefined;
    /** What the directory shows after the write: the source's record under the admin's overrides. */
    effective: PersonColumns;
    /**
     * The directory already shows this record (HR changed only overridden fields, or a cleared override's value
     * came back before the read): the row is written (hash, shadowed values), but it is no change of the person.
     */
    sameForDirectory: boolean;
  }[] = [];
  for (const [externalId, source] of byExternal) {
    const columns = personColumns(source);
    const hash = personHash(columns);
    const before = existing.get(externalId);
    if (before && before.source_hash === hash) {
      unchangedIds.push(before.id);
      continue;
    }
    const effective = underOverrides(columns, before);
    const sameForDirectory = !!before?.snapshot && Object.keys(personDiff(before, effective)).length === 0;
    toWrite.push({ externalId, columns, hash, before, effective, sameForDirectory });
  }
  // Seen-marks are bookkeeping, not data: a dry run sets them too, so its leaver count is real.
  const seenIds = input.dryRun
    ? [...unchangedIds, ...toWrite.flatMap((i) => (i.before ? [i.before.id] : []))]
    : unchangedIds;
  if (input.markSeen && seenIds.length > 0) {
    await ds.query(`UPDATE people SET last_seen_at = $2 WHERE id = ANY($1)`, [seenIds, input.seenAt]);
  }

  const leaverIds: string[] = [];
  const changedIds: string[] = [];
  const written = input.dryRun
    ? new Map<string, string>()
    : await writePeople(ds, tenantId, connectionId, toWrite, departmentIds, input.seenAt, events);
  let sameForDirectory = 0;
  const planned: PlannedPerson[] = [];
  for (const item of toWrite) {
    const id = written.get(item.externalId) ?? item.before?.id ?? null;
    if (!input.dryRun && !id) continue; // quarantined by writePeople
    if (item.sameForDirectory) {
      // Nothing the directory (and so any target) shows changes: no event, no role recomputation.
      sameForDirectory += 1;
      continue;
    }
    const becameLeaver = item.effective.status === 'leaver' && item.before?.status !== 'leaver';
    if (input.dryRun) {
      const keepsDepartment = !!item.before && 'departmentId' in item.before.overrides;
      const departmentExternalId = item.effective.departmentExternalId;
      planned.push({
        key: item.externalId,
        existingId: item.before?.id ?? null,
        columns: item.effective,
        ...(keepsDepartment
          ? {}
          : {
              departmentId: departmentExternalId ? (departmentIds.get(departmentExternalId) ?? null) : null,
            }),
      });
    }
    if (becameLeaver && id) leaverIds.push(id);
    if (id) changedIds.push(id);
    events.push({
      objectType: 'person',
      objectId: id,
      externalId: item.externalId,
      label: item.effective.displayName,
      action: !item.before ? 'create' : becameLeaver ? 'leaver' : 'update',
      status: input.dryRun ? 'planned' : 'ok',
      diff: personDiff(item.before, item.effective),
    });
  }

  if (input.removedExternalIds.length > 0) {
    const gone = (await ds.query(
      `SELECT id, external_id, display_name FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)
          AND status <> 'leaver' AND NOT (overrides ? 'status')`,
      [connectionId, input.removedExternalIds],
    )) as { id: string; external_id: string; display_name: string }[];
    if (!input.dryRun && gone.length > 0) {
      await ds.query(
        `UPDATE people SET status = 'leaver', updated_at = now(), version = version + 1 WHERE id = ANY($1)`,
        [gone.map((g) => g.id)],
      );
    }
    for (const g of gone) {
      if (input.dryRun) planned.push({ key: g.external_id, existingId: g.id, columns: { status: 'leaver' } });
      leaverIds.push(g.id);
      changedIds.push(g.id);
      events.push({
        objectType: 'person',
        objectId: g.id,
        externalId: g.external_id,
        label: g.display_name,
        action: 'leaver',
        status: input.dryRun ? 'planned' : 'ok',
        diff: { status: { from: 'active', to: 'leaver' } },
      });
    }
  }

  if (!input.dryRun && changedIds.length > 0) await recomputeRoles(ds, tenantId, changedIds);
  if (input.dryRun && planned.length > 0) {
    // The plan says what the role rules would make of each change (role_assignments stay as they are).
    const roles = await plannedRoleChanges(ds, tenantId, planned);
    for (const event of events) {
      const change = event.externalId ? roles.get(event.externalId) : undefined;
      if (change && event.objectType === 'person') event.diff = { ...(event.diff ?? {}), roles: change };
    }
  }
  return {
    read: byExternal.size,
    unchanged: unchangedIds.length + sameForDirectory,
    events,
    leaverIds,
    changedIds,
  };
}

/** The source's record as the directory will hold it: overridden fields keep what the directory has. */
function underOverrides(columns: PersonColumns, before: ExistingRow | undefined): PersonColumns {
  if (!before?.snapshot) return columns;
  const effective: Record<string, unknown> = { ...columns };
  const snapshot = before.snapshot as unknown as Record<string, unknown>;
  for (const key of Object.keys(before.overrides)) {
    const field = personSnapshotKey(key);
    if (field in effective) effective[field] = snapshot[field];
  }
  return effective as unknown as PersonColumns;
}

function personDiff(before: ExistingRow | undefined, effective: PersonColumns) {
  return fieldDiff(
    (before?.snapshot ?? {}) as unknown as Record<string, unknown>,
    effective as unknown as Record<string, unknown>,
  );
}

async function loadExisting(
  ds: DataSource,
  connectionId: string,
  externalIds: string[],
): Promise<Map<string, ExistingRow>> {
  const rows = (await ds.query(
    `SELECT id, external_id, source_hash, status, overrides,
            jsonb_build_object('employeeNumber', employee_number, 'givenName', given_name, 'familyName', family_name,
              'displayName', display_name, 'email', email, 'phone', phone, 'managerExternalId', manager_external_id,
              'jobTitle', job_title, 'rank', rank, 'grade', grade, 'costCenter', cost_center, 'division', division,
              'location', location, 'status', status, 'hireDate', hire_date, 'terminationDate', termination_date,
              'attributes', attributes, 'departmentExternalId', (SELECT d.external_id FROM departments d WHERE d.id = people.department_id)) AS snapshot
       FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)`,
    [connectionId, externalIds],
  )) as ExistingRow[];
  return new Map(rows.map((r) => [r.external_id ?? '', r]));
}

/**
 * People already in the directory without a source (created by hand, by SCIM or by a first sign-in) are linked by
 * employee number, so HR takes them over instead of a duplicate being created.
 */
async function adoptUnsourced(
  ds: DataSource,
  tenantId: string,
  connectionId: string,
  people: SourcePerson[],
  existing: Map<string, ExistingRow>,
  dryRun: boolean,
): Promise<void> {
  const candidates = people.filter((p) => !existing.has(p.externalId) && p.employeeNumber);
  if (candidates.length === 0 || dryRun) return;
  const rows = (await ds.query(
    `UPDATE people p SET source_connection_id = $2, external_id = c.external_id, source_hash = NULL
       FROM unnest($3::varchar[], $4::varchar[]) AS c(employee_number, external_id)
      WHERE p.tenant_id = $1 AND p.source_connection_id IS NULL AND p.employee_number = c.employee_number
      RETURNING p.id, p.external_id, p.status`,
    [tenantId, connectionId, candidates.map((p) => p.employeeNumber), candidates.map((p) => p.externalId)],
  )) as
    | [{ id: string; external_id: string; status: string }[], number]
    | { id: string; external_id: string; status: string }[];
  const list = Array.isArray(rows[0])
    ? (rows[0] as { id: string; external_id: string; status: string }[])
    : (rows as { id: string; external_id: string; status: string }[]);
  for (const row of list)
    existing.set(row.external_id, {
      id: row.id,
      external_id: row.external_id,
      source_hash: null,
      status: row.status,
      snapshot: null,
      overrides: {},
    });
}

async function resolveDepartments(
  ds: DataSource,
  connectionId: string,
  ids: (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = (await ds.query(
    `SELECT id, external_id FROM departments WHERE source_connection_id = $1 AND external_id = ANY($2)`,
    [connectionId, wanted],
  )) as { id: string; external_id: string }[];
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

const PERSON_SQL = `
  INSERT INTO people (tenant_id, source_connection_id, external_id, employee_number, given_name, family_name,
    display_name, email, phone, department_id, manager_external_id, job_title, rank, grade, cost_center, division,
    location, status, hire_date, termination_date, attributes, source_hash, last_seen_at, version)
  SELECT $1, $2, u.* , $3, 1 FROM unnest($4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[],
    $9::varchar[], $10::varchar[], $11::uuid[], $12::varchar[], $13::varchar[], $14::varchar[], $15::varchar[],
    $16::varchar[], $17::varchar[], $18::varchar[], $19::varchar[], $20::date[], $21::date[], $22::jsonb[],
    $23::varchar[]) AS u
  ON CONFLICT (source_connection_id, external_id) DO UPDATE SET
    ${keepOverridden('people', PERSON_OVERRIDE_COLUMNS)},
    manager_external_id = EXCLUDED.manager_external_id,
    manager_id = CASE WHEN people.overrides ? '${MANAGER_OVERRIDE}' THEN people.manager_id
      WHEN people.manager_external_id IS DISTINCT FROM EXCLUDED.manager_external_id THEN NULL ELSE people.manager_id END,
    attributes = EXCLUDED.attributes,
    ${shadowSourceValues('people', PERSON_OVERRIDE_COLUMNS)},
    source_hash = EXCLUDED.source_hash, last_seen_at = EXCLUDED.last_seen_at, updated_at = now(),
    version = people.version + 1
  RETURNING id, external_id`;

async function writePeople(
  ds: DataSource,
  tenantId: string,
  connectionId: string,
  items: { externalId: string; columns: PersonColumns; hash: string }[],
  departmentIds: Map<string, string>,
  seenAt: Date,
  events: NewSyncEvent[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (items.length === 0) return out;
  const params = (batch: typeof items): unknown[] => [
    tenantId,
    connectionId,
    seenAt,
    batch.map((i) => i.externalId),
    batch.map((i) => i.columns.employeeNumber),
    batch.map((i) => i.columns.givenName),
    batch.map((i) => i.columns.familyName),
    batch.map((i) => i.columns.displayName),
    batch.map((i) => i.columns.email),
    batch.map((i) => i.columns.phone),
    batch.map((i) =>
      i.columns.departmentExternalId ? (departmentIds.get(i.columns.departmentExternalId) ?? null) : null,
    ),
    batch.map((i) => i.columns.managerExternalId),
    batch.map((i) => i.columns.jobTitle),
    batch.map((i) => i.columns.rank),
    batch.map((i) => i.columns.grade),
    batch.map((i) => i.columns.costCenter),
    batch.map((i) => i.columns.division),
    batch.map((i) => i.columns.location),
    batch.map((i) => i.columns.status),
    batch.map((i) => i.columns.hireDate),
    batch.map((i) => i.columns.terminationDate),
    batch.map((i) => JSON.stringify(i.columns.attributes)),
    batch.map((i) => i.hash),
  ];
  try {
    const rows = (await ds.query(PERSON_SQL, params(items))) as { id: string; external_id: string }[];
    for (const row of rows) out.set(row.external_id, row.id);
    return out;
  } catch {
    // One bad record (say, an employee number another person already has) must not sink the page.
    for (const item of items) {
      try {
        const rows = (await ds.query(PERSON_SQL, params([item]))) as { id: string; external_id: string }[];
        for (const row of rows) out.set(row.external_id, row.id);
      } catch (error) {
        events.push({
          objectType: 'person',
          externalId: item.externalId,
          label: item.columns.displayName,
          action: 'update',
          status: 'quarantined',
          error: { code: 'rejected_by_directory', message: describeDbError(error) },
        });
      }
    }
    return out;
  }
}

function describeDbError(error: unknown): string {
  const e = error as { code?: string; detail?: string; message?: string };
  if (e.code === '23505') return `duplicate value: ${e.detail ?? 'unique constraint'}`;
  return (e.message ?? String(error)).slice(0, 300);
}

async function recomputeRoles(ds: DataSource, tenantId: string, personIds: string[]): Promise<void> {
  const ctx = await loadAccessContext(ds, tenantId);
  if (ctx.rules.length === 0) {
    await ds.query(`DELETE FROM role_assignments WHERE source = 'rule' AND person_id = ANY($1)`, [personIds]);
    return;
  }
  const people = await ds
    .getRepository(Person)
    .createQueryBuilder('p')
    .where('p.id IN (:...ids)', { ids: personIds })
    .getMany();
  const views = await loadPersonViews(ds, ctx, people);
  await applyRoleRules(ds, ctx, views);
}
