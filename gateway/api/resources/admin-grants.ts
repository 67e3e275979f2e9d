import { z } from 'zod';
import { AdminGrant, Person } from '../../../core/entities/index.js';
import type { AdminRole } from '../../../core/entities/admin-grant.js';
import { ADMIN_ROLES, rolePermissions, type Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { resourceRoutes } from '../http/crud.js';
import { problems } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { loadReference } from './references.js';

export const AdminGrantOut = z
  .object({ ...recordFields, personId: z.uuid(), tenantId: z.uuid(), role: z.enum(ADMIN_ROLES) })
  .meta({ id: 'AdminGrant' });

/** No one hands out more than they hold: every permission of the granted role must be theirs on that tenant. */
export function assertMayGrant(
  principal: Principal,
  tenantId: string,
  permissions: Iterable<Permission>,
): void {
  principal.assertCan('admins.write', tenantId, 'Tenant');
  const held = principal.permissionsOn(tenantId);
  for (const permission of permissions) {
    if (!held.has(permission))
      throw problems.forbidden(`You cannot grant ${permission}, which you do not hold there`);
  }
}

export function assertMayGrantRole(principal: Principal, tenantId: string, role: AdminRole): void {
  assertMayGrant(principal, tenantId, rolePermissions(role));
}

/** Admin grants: who administers which tenant subtree, with which role. */
export const adminGrantRoutes = resourceRoutes({
  plural: 'admin-grants',
  singular: 'admin grant',
  title: 'Admin grant',
  tag: 'Administrators',
  entity: AdminGrant,
  output: AdminGrantOut,
  tenantOf: (g) => g.tenantId,
  tenantColumn: 'x.tenantId',
  auditType: 'admin_grant',
  present: (g) => ({ ...presentRecord(g), personId: g.personId, tenantId: g.tenantId, role: g.role }),
  list: {
    sorts: {
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
      role: { property: 'role', cast: 'text' },
    },
    defaultSort: 'createdAt',
    filters: {
      tenantId: z.uuid().optional(),
      personId: z.uuid().optional(),
      role: z.enum(ADMIN_ROLES).optional(),
    },
    applyFilters: (qb, query) => {
      for (const key of ['tenantId', 'personId', 'role'] as const) {
        if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
      }
    },
  },
  create: {
    permission: 'admins.write',
    body: z.strictObject({ personId: z.uuid(), tenantId: z.uuid(), role: z.enum(ADMIN_ROLES) }),
    tenantOf: (body) => body.tenantId,
    build: async (body, ctx) => {
      assertMayGrantRole(ctx.principal, body.tenantId, body.role);
      await loadReference(ctx.manager, Person, body.personId, ctx.principal, 'personId', 'Person');
      return { personId: body.personId, tenantId: body.tenantId, role: body.role };
    },
  },
  update: {
    permission: 'admins.write',
    body: z.strictObject({ role: z.enum(ADMIN_ROLES).optional() }),
    apply: (grant, body, ctx) => {
      assertMayGrantRole(ctx.principal, grant.tenantId, grant.role);
      if (body.role !== undefined) {
        assertMayGrantRole(ctx.principal, grant.tenantId, body.role);
        grant.role = body.role;
      }
    },
  },
  remove: {
    permission: 'admins.write',
    beforeDelete: (grant, ctx) => {
      assertMayGrantRole(ctx.principal, grant.tenantId, grant.role);
      return Promise.resolve();
    },
  },
});
