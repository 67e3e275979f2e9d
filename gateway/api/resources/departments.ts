import { z } from 'zod';
import { Department, Person } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { validationProblem } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { escapeLike } from './tenants.js';

const DepartmentOverrides = z
  .strictObject({
    name: z.string().trim().min(1).max(300),
    code: z.string().max(64).nullable(),
    costCenter: z.string().max(64).nullable(),
    managerPersonId: z.uuid().nullable(),
  })
  .partial()
  .meta({ id: 'DepartmentOverrides' });
type OverrideField = keyof z.infer<typeof DepartmentOverrides>;

export const DepartmentOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    source: z.object({ connectionId: z.uuid().nullable(), externalId: z.string().nullable() }),
    name: z.string(),
    code: z.string().nullable(),
    parentId: z.uuid().nullable(),
    costCenter: z.string().nullable(),
    managerPersonId: z.uuid().nullable(),
    status: z.enum(['active', 'deleted']),
    overrides: z.record(z.string(), z.unknown()),
    sourceValues: z
      .record(z.string(), z.unknown())
      .describe(
        'For each overridden field, what the source last gave (it comes back when the override is cleared)',
      ),
  })
  .meta({ id: 'Department' });

/** Departments: HR's tree. Read, plus manual overrides (name, code, cost centre, manager). */
export const departmentRoutes = resourceRoutes({
  plural: 'departments',
  singular: 'department',
  title: 'Department',
  tag: 'Directory',
  entity: Department,
  output: DepartmentOut,
  tenantOf: (d) => d.tenantId,
  tenantColumn: 'x.tenantId',
  present: (d) => ({
    ...presentRecord(d),
    tenantId: d.tenantId,
    source: { connectionId: d.sourceConnectionId, externalId: d.externalId },
    name: d.name,
    code: d.code,
    parentId: d.parentId,
    costCenter: d.costCenter,
    managerPersonId: d.managerPersonId,
    status: d.status,
    overrides: d.overrides ?? {},
    sourceValues: d.sourceValues ?? {},
  }),
  list: {
    sorts: {
      name: { property: 'name', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'name',
    filters: {
      tenantId: z.uuid().optional(),
      parentId: z.uuid().optional(),
      status: z.enum(['active', 'deleted']).optional(),
      q: z.string().max(200).optional(),
    },
    applyFilters: (qb, query) => {
      if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
      if (query.parentId) qb.andWhere('x.parentId = :parentId', { parentId: query.parentId });
      if (query.status) qb.andWhere('x.status = :status', { status: query.status });
      if (query.q)
        qb.andWhere('(x.name ILIKE :q OR x.code ILIKE :q)', { q: `%${escapeLike(String(query.q))}%` });
    },
  },
  update: {
    permission: 'directory.write',
    body: z.strictObject({
      set: DepartmentOverrides.optional(),
      clear: z
        .array(z.enum(Object.keys(DepartmentOverrides.shape) as [OverrideField, ...OverrideField[]]))
        .max(10)
        .optional(),
    }),
    apply: async (department, body, ctx) => {
      const cleared = new Set<string>(body.clear ?? []);
      const overrides: Record<string, unknown> = Object.fromEntries(
        Object.entries(department.overrides ?? {}).filter(([field]) => !cleared.has(field)),
      );
      const set = body.set ?? {};
      if (set.managerPersonId) {
        const manager = await ctx.manager
          .getRepository(Person)
          .findOne({ where: { id: set.managerPersonId } });
        if (!manager || !ctx.principal.can('read', manager.tenantId)) {
          throw validationProblem('set.managerPersonId: no such person', [
            { pointer: 'body.set.managerPersonId', message: 'Person not found', code: 'unknown_reference' },
          ]);
        }
      }
      const target = department as unknown as Record<string, unknown>;
      const shadows: Record<string, unknown> = { ...(department.sourceValues ?? {}) };
      for (const field of cleared) {
        if (!(field in (department.overrides ?? {})) || field in set) continue;
        // The source's value comes back now, not at the source's next change of this department.
        if (field in shadows) target[field] = shadows[field];
        Reflect.deleteProperty(shadows, field);
      }
      for (const [field, value] of Object.entries(set)) {
        // The source's value (on the column until now) is kept to put back when the override is cleared.
        if (department.sourceConnectionId && !(field in (department.overrides ?? {})))
          shadows[field] = target[field] ?? null;
        overrides[field] = value;
        target[field] = value;
      }
      department.overrides = overrides;
      department.sourceValues = shadows;
      if ((body.clear ?? []).length > 0) department.sourceHash = null;
    },
  },
});
