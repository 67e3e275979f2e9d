import { z } from 'zod';
import { Role } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { Name } from '../http/schemas.js';
import { escapeLike } from './tenants.js';

const RoleKey = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.:-]{0,99}$/,
    'must be lower-case letters, digits, and _ . : - (the value apps see)',
  );

export const RoleOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
  })
  .meta({ id: 'Role' });

/** Roles: bundles of entitlements that rules and admins hand out. */
export const roleRoutes = resourceRoutes({
  plural: 'roles',
  singular: 'role',
  title: 'Role',
  tag: 'Access model',
  entity: Role,
  output: RoleOut,
  tenantOf: (role) => role.tenantId,
  tenantColumn: 'x.tenantId',
  present: (role) => ({
    ...presentRecord(role),
    tenantId: role.tenantId,
    key: role.key,
    name: role.name,
    description: role.description,
  }),
  list: {
    sorts: {
      key: { property: 'key', cast: 'text' },
      name: { property: 'name', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'key',
    filters: { tenantId: z.uuid().optional(), q: z.string().max(200).optional() },
    applyFilters: (qb, query) => {
      if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
      if (query.q)
        qb.andWhere('(x.key ILIKE :q OR x.name ILIKE :q)', { q: `%${escapeLike(String(query.q))}%` });
    },
  },
  create: {
    permission: 'access.write',
    body: z.strictObject({
      tenantId: z.uuid(),
      key: RoleKey,
      name: Name,
      description: z.string().max(2000).nullable().default(null),
    }),
    tenantOf: (body) => body.tenantId,
    build: (body) => ({
      tenantId: body.tenantId,
      key: body.key,
      name: body.name,
      description: body.description,
    }),
  },
  update: {
    permission: 'access.write',
    body: z.strictObject({
      name: Name.optional(),
      description: z.string().max(2000).nullable().optional(),
    }),
    apply: (role, body) => {
      if (body.name !== undefined) role.name = body.name;
      if (body.description !== undefined) role.description = body.description;
    },
  },
  remove: { permission: 'access.write' },
});
