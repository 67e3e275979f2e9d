import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import { Department, Person } from '../../../core/entities/index.js';
import { loadAccessContext, loadPersonViews } from '../../../workers/access/access-context.js';
import { MANAGER_OVERRIDE } from '../../../workers/access/override-columns.js';
import { applyRoleRules } from '../../../workers/access/role-rules.js';
import { provisionPersonNow } from '../../../workers/client.js';
import type { ResourceContext } from '../http/crud.js';
import { resourceRoutes } from '../http/crud.js';
import { validationProblem } from '../http/problem.js';
import { presentRecord, recordFields, isoOrNull } from '../http/record-fields.js';
import { Timestamp } from '../http/schemas.js';
import { escapeLike } from './tenants.js';

const STATUSES = ['active', 'inactive', 'leaver', 'pending'] as const;
const IsoDate = z.iso.date();

/** Columns an admin may override by hand; each wins over the source until cleared. */
const PersonOverrides = z
  .strictObject({
    displayName: z.string().trim().min(1).max(400),
    givenName: z.string().max(200).nullable(),
    familyName: z.string().max(200).nullable(),
    email: z.email().max(320).toLowerCase().nullable(),
    phone: z.string().max(64).nullable(),
    employeeNumber: z.string().max(64).nullable(),
    jobTitle: z.string().max(200).nullable(),
    rank: z.string().max(64).nullable(),
    grade: z.string().max(64).nullable(),
    costCenter: z.string().max(64).nullable(),
    division: z.string().max(200).nullable(),
    location: z.string().max(200).nullable(),
    status: z.enum(['active', 'inactive', 'leaver']),
    departmentId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
    hireDate: IsoDate.nullable(),
    terminationDate: IsoDate.nullable(),
  })
  .partial()
  .meta({ id: 'PersonOverrides' });

type OverrideField = keyof z.infer<typeof PersonOverrides>;

export const PersonOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    source: z.object({ connectionId: z.uuid().nullable(), externalId: z.string().nullable() }),
    employeeNumber: z.string().nullable(),
    displayName: z.string(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    departmentId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
    jobTitle: z.string().nullable(),
    rank: z.string().nullable(),
    grade: z.string().nullable(),
    costCenter: z.string().nullable(),
    division: z.string().nullable(),
    location: z.string().nullable(),
    status: z.enum(STATUSES),
    hireDate: z.string().nullable(),
    terminationDate: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    overrides: z.record(z.string(), z.unknown()).describe('Fields set by an admin; they win over the source'),
    sourceValues: z
      .record(z.string(), z.unknown())
      .describe(
        'For each overridden field, what the source last gave (it comes back when the override is cleared)',
      ),
    lastSeenAt: Timestamp.nullable(),
  })
  .meta({ id: 'Person' });

export function presentPerson(p: Person) {
  return {
    ...presentRecord(p),
    tenantId: p.tenantId,
    source: { connectionId: p.sourceConnectionId, externalId: p.externalId },
    employeeNumber: p.employeeNumber,
    displayName: p.displayName,
    givenName: p.givenName,
    familyName: p.familyName,
    email: p.email,
    phone: p.phone,
    departmentId: p.departmentId,
    managerId: p.managerId,
    jobTitle: p.jobTitle,
    rank: p.rank,
    grade: p.grade,
    costCenter: p.costCenter,
    division: p.division,
    location: p.location,
    status: p.status,
    hireDate: p.hireDate,
    terminationDate: p.terminationDate,
    attributes: p.attributes,
    overrides: p.overrides ?? {},
    sourceValues: p.sourceValues ?? {},
    lastSeenAt: isoOrNull(p.lastSeenAt),
  };
}

const PersonPatch = z.strictObject({
  set: PersonOverrides.optional().describe('Fields to override'),
  clear: z
    .array(z.enum(Object.keys(PersonOverrides.shape) as [OverrideField, ...OverrideField[]]))
    .max(20)
    .optional()
    .describe(
      'Overrides to drop; the value the source last gave comes back at once (with the next sync when none is known)',
    ),
});

async function applyPersonPatch(person: Person, body: z.infer<typeof PersonPatch>, ctx: ResourceContext) {
  const cleared = new Set<string>(body.clear ?? []);
  const overrides: Record<string, unknown> = Object.fromEntries(
    Object.entries(person.overrides ?? {}).filter(([field]) => !cleared.has(field)),
  );
  const set = body.set ?? {};
  if (set.departmentId) {
    const department = await ctx.manager
      .getRepository(Department)
      .findOne({ where: { id: set.departmentId } });
    if (!department || !ctx.principal.tree.ancestry(person.tenantId).includes(department.tenantId)) {
      throw validationProblem('set.departmentId: no such department in this tenant', [
        { pointer: 'body.set.departmentId', message: 'Department not found', code: 'unknown_reference' },
      ]);
    }
  }
  if (set.managerId) {
    const manager = await ctx.manager.getRepository(Person).findOne({ where: { id: set.managerId } });
    if (!manager || manager.id === person.id || !ctx.principal.can('read', manager.tenantId)) {
      throw validationProblem('set.managerId: no such person', [
        { pointer: 'body.set.managerId', message: 'Person not found', code: 'unknown_reference' },
      ]);
    }
  }
  const target = person as unknown as Record<string, unknown>;
  const shadows: Record<string, unknown> = { ...(person.sourceValues ?? {}) };
  for (const field of cleared) {
    if (!(field in (person.overrides ?? {})) || field in set) continue;
    // The source's value comes back now, not at the source's next change of this person.
    // HR names the manager by external id (looked up now: that person may have arrived since); a SCIM client
    // names them by directory id, kept with the other source values.
    if (field === MANAGER_OVERRIDE && person.managerExternalId)
      target[field] = await sourceManagerId(ctx.manager, person);
    else if (field in shadows) target[field] = shadows[field];
    else if (field === MANAGER_OVERRIDE) target[field] = null;
    Reflect.deleteProperty(shadows, field);
  }
  for (const [field, value] of Object.entries(set)) {
    // The value the source gave (on the column until now) is kept to put back when the override is cleared.
    // A manager the source names by external id is looked up again on clear instead.
    const shadowed = field !== MANAGER_OVERRIDE || !person.managerExternalId;
    if (person.sourceConnectionId && !(field in (person.overrides ?? {})) && shadowed)
      shadows[field] = target[field] ?? null;
    overrides[field] = value;
    target[field] = value;
  }
  person.overrides = overrides;
  person.sourceValues = shadows;
  // A cleared override is also redone by the next source read: forget the source hash so the sync rewrites it.
  if ((body.clear ?? []).length > 0) person.sourceHash = null;
}

/** The manager the source names (by external id), for a cleared manager override. */
async function sourceManagerId(manager: EntityManager, person: Person): Promise<string | null> {
  if (!person.sourceConnectionId || !person.managerExternalId) return null;
  const found = await manager.getRepository(Person).findOne({
    where: { sourceConnectionId: person.sourceConnectionId, externalId: person.managerExternalId },
    select: { id: true },
  });
  return found?.id ?? null;
}

/** An override can change what the role rules say (a department, a title): the rule-given roles follow at once. */
async function recomputePersonRoles(person: Person, ctx: ResourceContext): Promise<void> {
  const access = await loadAccessContext(ctx.manager, person.tenantId);
  if (access.rules.length === 0) {
    await ctx.manager.query(`DELETE FROM role_assignments WHERE source = 'rule' AND person_id = $1`, [
      person.id,
    ]);
    return;
  }
  await applyRoleRules(ctx.manager, access, await loadPersonViews(ctx.manager, access, [person]));
}

/**
 * After the override is saved: the person's accounts follow it (a moved department, a new title) in seconds, as
 * after an HR change. A failed start is logged, not returned: the override stands and the next run converges.
 */
async function provisionAfterOverride(person: Person, ctx: Omit<ResourceContext, 'manager'>): Promise<void> {
  if (person.status === 'pending') return;
  try {
    await provisionPersonNow(ctx.deps.temporal.client, ctx.deps.temporal.taskQueue, person.id, {
      trigger: 'person_change',
      requestedBy: ctx.principal.actor.label.slice(0, 200),
    });
  } catch (error) {
    ctx.deps.log.warn({ err: error, personId: person.id }, 'could not start provisioning after an override');
  }
}

/** People: the directory HR (or a SCIM client) feeds. Read, plus manual overrides that win over the source. */
export const peopleRoutes = resourceRoutes({
  plural: 'people',
  singular: 'person',
  title: 'Person',
  tag: 'Directory',
  entity: Person,
  output: PersonOut,
  tenantOf: (p) => p.tenantId,
  tenantColumn: 'x.tenantId',
  present: presentPerson,
  list: {
    sorts: {
      displayName: { property: 'displayName', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
      updatedAt: { property: 'updatedAt', cast: 'timestamptz' },
    },
    defaultSort: 'displayName',
    filters: {
      tenantId: z.uuid().optional(),
      q: z.string().max(200).optional().describe('Name, email or employee number contains'),
      status: z.enum(STATUSES).optional(),
      departmentId: z.uuid().optional(),
      sourceConnectionId: z.uuid().optional(),
      email: z.string().max(320).optional(),
      employeeNumber: z.string().max(64).optional(),
    },
    applyFilters: (qb, query) => {
      if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
      if (query.status) qb.andWhere('x.status = :status', { status: query.status });
      if (query.departmentId)
        qb.andWhere('x.departmentId = :departmentId', { departmentId: query.departmentId });
      if (query.sourceConnectionId) {
        qb.andWhere('x.sourceConnectionId = :sourceConnectionId', {
          sourceConnectionId: query.sourceConnectionId,
        });
      }
      if (query.email) qb.andWhere('x.email = :email', { email: String(query.email).toLowerCase() });
      if (query.employeeNumber)
        qb.andWhere('x.employeeNumber = :employeeNumber', { employeeNumber: query.employeeNumber });
      if (query.q) {
        qb.andWhere('(x.displayName ILIKE :q OR x.email ILIKE :q OR x.employeeNumber ILIKE :q)', {
          q: `%${escapeLike(String(query.q))}%`,
        });
      }
    },
  },
  update: {
    permission: 'directory.write',
    body: PersonPatch,
    apply: applyPersonPatch,
    afterSave: (person, _before, ctx) => recomputePersonRoles(person, ctx),
    afterCommit: provisionAfterOverride,
  },
});
