import { z } from 'zod';
import { Application, Connection, Entitlement, Role } from '../../../core/entities/index.js';
import { resourceRoutes, type ResourceContext } from '../http/crud.js';
import { validationProblem } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { assertSameFamily, loadReference } from './references.js';

const KINDS = ['account', 'group', 'role', 'department', 'permission_set', 'app_access'] as const;

export const EntitlementOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    roleId: z.uuid(),
    kind: z.enum(KINDS),
    connectionId: z.uuid().nullable(),
    applicationId: z.uuid().nullable(),
    value: z.string(),
  })
  .meta({ id: 'Entitlement' });

const EntitlementCreate = z
  .strictObject({
    roleId: z.uuid(),
    kind: z.enum(KINDS).describe('account, a permission scope in a connection, or sign-in to an application'),
    connectionId: z.uuid().nullable().default(null),
    applicationId: z.uuid().nullable().default(null),
    value: z
      .string()
      .max(300)
      .default('')
      .describe('Target-side name: group, role, department or permission set'),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'app_access') {
      if (!body.applicationId)
        ctx.addIssue({ code: 'custom', path: ['applicationId'], message: 'app_access needs applicationId' });
      if (body.connectionId)
        ctx.addIssue({ code: 'custom', path: ['connectionId'], message: 'app_access takes no connection' });
    } else {
      if (!body.connectionId)
        ctx.addIssue({ code: 'custom', path: ['connectionId'], message: `${body.kind} needs connectionId` });
      if (body.applicationId)
        ctx.addIssue({
          code: 'custom',
          path: ['applicationId'],
          message: `${body.kind} takes no application`,
        });
      if (body.kind !== 'account' && body.value.trim() === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${body.kind} needs the target-side name in value`,
        });
      }
    }
  });

async function checkReferences(
  body: { roleId: string; connectionId: string | null; applicationId: string | null },
  ctx: ResourceContext,
): Promise<Role> {
  const role = await loadReference(ctx.manager, Role, body.roleId, ctx.principal, 'roleId', 'Role');
  ctx.principal.assertCan('access.write', role.tenantId, 'Role');
  if (body.connectionId) {
    const connection = await loadReference(
      ctx.manager,
      Connection,
      body.connectionId,
      ctx.principal,
      'connectionId',
      'Connection',
    );
    // A group role may grant accounts in a subsidiary's systems, and a subsidiary role in the group's.
    const tree = ctx.principal.tree;
    if (
      !tree.isWithin(connection.tenantId, role.tenantId) &&
      !tree.isWithin(role.tenantId, connection.tenantId)
    ) {
      assertSameFamily(ctx.principal, role.tenantId, connection.tenantId, 'connectionId');
    }
    if (connection.direction !== 'target') {
      throw validationProblem('connectionId: entitlements grant accounts in target connections only', [
        { pointer: 'body.connectionId', message: 'is a source connection', code: 'not_a_target' },
      ]);
    }
  }
  if (body.applicationId) {
    const app = await loadReference(
      ctx.manager,
      Application,
      body.applicationId,
      ctx.principal,
      'applicationId',
      'Application',
    );
    assertSameFamily(ctx.principal, role.tenantId, app.tenantId, 'applicationId');
  }
  return role;
}

/** Entitlements: what a role grants (an account, a scope in a target, or sign-in to an app). */
export const entitlementRoutes = resourceRoutes({
  plural: 'entitlements',
  singular: 'entitlement',
  title: 'Entitlement',
  tag: 'Access model',
  entity: Entitlement,
  output: EntitlementOut,
  tenantOf: (e) => e.tenantId,
  tenantColumn: 'x.tenantId',
  present: (e) => ({
    ...presentRecord(e),
    tenantId: e.tenantId,
    roleId: e.roleId,
    kind: e.kind,
    connectionId: e.connectionId,
    applicationId: e.applicationId,
    value: e.value,
  }),
  list: {
    sorts: {
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
      kind: { property: 'kind', cast: 'text' },
    },
    defaultSort: 'createdAt',
    filters: {
      tenantId: z.uuid().optional(),
      roleId: z.uuid().optional(),
      connectionId: z.uuid().optional(),
      applicationId: z.uuid().optional(),
      kind: z.enum(KINDS).optional(),
    },
    applyFilters: (qb, query) => {
      for (const key of ['tenantId', 'roleId', 'connectionId', 'applicationId', 'kind'] as const) {
        if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
      }
    },
  },
  create: {
    permission: 'access.write',
    body: EntitlementCreate,
    // The owning tenant is the role's: checked in build once the role is loaded.
    build: async (body, ctx) => {
      const role = await checkReferences(body, ctx);
      return {
        tenantId: role.tenantId,
        roleId: role.id,
        kind: body.kind,
        connectionId: body.connectionId,
        applicationId: body.applicationId,
        value: body.value,
      };
    },
  },
  update: {
    permission: 'access.write',
    body: z.strictObject({ value: z.string().max(300).optional() }),
    apply: (e, body) => {
      if (body.value !== undefined) {
        if (e.kind !== 'account' && e.kind !== 'app_access' && body.value.trim() === '') {
          throw validationProblem('value: must name the target-side scope', [
            { pointer: 'body.value', message: 'must not be empty', code: 'too_small' },
          ]);
        }
        e.value = body.value;
      }
    },
  },
  remove: { permission: 'access.write' },
});
