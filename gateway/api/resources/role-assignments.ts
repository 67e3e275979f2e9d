import { z } from 'zod';
import { Person, Role, RoleAssignment } from '../../../core/entities/index.js';
import { ValidationError } from '../../../core/errors.js';
import { assignRoleManually, removeManualAssignment } from '../../../workers/access/manual-assignments.js';
import { recordAudit } from '../http/audit.js';
import { etagOf, ifMatchVersion, refuseStale } from '../http/concurrency.js';
import { findVisible, resourceRoutes } from '../http/crud.js';
import { problems, validationProblem } from '../http/problem.js';
import { isoOrNull, presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute, type RouteContext } from '../http/route.js';
import { IdParams, Timestamp, TimestampInput } from '../http/schemas.js';
import { assertSameFamily, loadReference } from './references.js';

export const RoleAssignmentOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    personId: z.uuid(),
    roleId: z.uuid(),
    source: z.enum(['rule', 'manual']),
    ruleId: z.uuid().nullable(),
    reason: z.string().nullable(),
    expiresAt: Timestamp.nullable(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: 'RoleAssignment' });

function present(a: RoleAssignment) {
  return {
    ...presentRecord(a),
    tenantId: a.tenantId,
    personId: a.personId,
    roleId: a.roleId,
    source: a.source,
    ruleId: a.ruleId,
    reason: a.reason,
    expiresAt: isoOrNull(a.expiresAt),
    createdBy: a.createdBy,
  };
}

const spec = {
  entity: RoleAssignment,
  tenantOf: (a: RoleAssignment) => a.tenantId,
  title: 'Role assignment',
};

/** The sync engine's manual-assignment rules (reason required, expiry in the future, role in the family) speak
 * core ValidationErrors; the API answers them as field problems. */
async function engineCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await refuseStale(work);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw validationProblem(error.publicMessage, [
        { pointer: 'body', message: error.publicMessage, code: 'invalid' },
      ]);
    }
    throw error;
  }
}

async function audit(
  ctx: RouteContext<unknown, unknown, unknown>,
  action: string,
  tenantId: string,
  targetId: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(ctx.deps.dataSource.manager, {
    actor: ctx.principal.actor,
    tenantId,
    action,
    targetType: 'role_assignment',
    targetId,
    before,
    after,
    ip: ctx.ip,
    userAgent: ctx.req.header('user-agent') ?? null,
  });
}

/**
 * Role assignments: listed whatever their source; created, changed and removed by hand only (a rule's
 * assignments follow the rule). Writes go through the sync engine's manual-assignment functions.
 */
export const roleAssignmentRoutes = [
  ...resourceRoutes({
    plural: 'role-assignments',
    singular: 'role assignment',
    title: 'Role assignment',
    tag: 'Access model',
    entity: RoleAssignment,
    output: RoleAssignmentOut,
    auditType: 'role_assignment',
    tenantOf: (a) => a.tenantId,
    tenantColumn: 'x.tenantId',
    present,
    list: {
      sorts: { createdAt: { property: 'createdAt', cast: 'timestamptz' } },
      defaultSort: '-createdAt',
      filters: {
        tenantId: z.uuid().optional(),
        personId: z.uuid().optional(),
        roleId: z.uuid().optional(),
        source: z.enum(['rule', 'manual']).optional(),
      },
      applyFilters: (qb, query) => {
        for (const key of ['tenantId', 'personId', 'roleId', 'source'] as const) {
          if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
        }
      },
    },
  }),
  defineRoute({
    method: 'post',
    path: '/role-assignments',
    operationId: 'createRoleAssignment',
    summary: 'Give a person a role by hand (with a reason, optionally until a date)',
    tag: 'Access model',
    permission: 'access.write',
    body: z.strictObject({
      personId: z.uuid(),
      roleId: z.uuid(),
      reason: z.string().trim().min(1).max(2000),
      expiresAt: TimestampInput.nullable().default(null),
    }),
    responses: {
      201: { description: 'Assigned (or updated when it existed)', schema: RoleAssignmentOut, etag: true },
    },
    handle: async (ctx) => {
      const manager = ctx.deps.dataSource.manager;
      const person = await loadReference(
        manager,
        Person,
        ctx.body.personId,
        ctx.principal,
        'personId',
        'Person',
      );
      ctx.principal.assertCan('access.write', person.tenantId, 'Person');
      const role = await loadReference(manager, Role, ctx.body.roleId, ctx.principal, 'roleId', 'Role');
      assertSameFamily(ctx.principal, person.tenantId, role.tenantId, 'roleId');
      const assignment = await engineCall(() =>
        assignRoleManually(ctx.deps.dataSource, {
          personId: person.id,
          roleId: role.id,
          reason: ctx.body.reason,
          expiresAt: ctx.body.expiresAt ? new Date(ctx.body.expiresAt) : null,
          createdBy: ctx.principal.actor.label.slice(0, 200),
        }),
      );
      const after = present(assignment);
      await audit(ctx, 'role_assignment.create', assignment.tenantId, assignment.id, undefined, after);
      return {
        status: 201,
        body: after,
        headers: {
          ETag: etagOf(assignment.version),
          Location: `${ctx.req.baseUrl}/role-assignments/${assignment.id}`,
        },
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/role-assignments/{id}',
    operationId: 'updateRoleAssignment',
    summary: 'Change the reason or expiry of a manual assignment',
    tag: 'Access model',
    permission: 'access.write',
    params: IdParams,
    ifMatch: true,
    body: z.strictObject({
      reason: z.string().trim().min(1).max(2000).optional(),
      expiresAt: TimestampInput.nullable().optional(),
    }),
    responses: { 200: { description: 'Updated', schema: RoleAssignmentOut, etag: true } },
    handle: async (ctx) => {
      const manager = ctx.deps.dataSource.manager;
      const existing = await findVisible(manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('access.write', existing.tenantId, 'Role assignment');
      if (existing.source !== 'manual') {
        throw problems.unprocessable(
          'rule_assignment',
          'This assignment comes from a rule: change the rule instead',
        );
      }
      const expectedVersion = ifMatchVersion(ctx.req, existing.version);
      const updated = await engineCall(() =>
        assignRoleManually(ctx.deps.dataSource, {
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          personId: existing.personId,
          roleId: existing.roleId,
          reason: ctx.body.reason ?? existing.reason ?? '',
          expiresAt:
            ctx.body.expiresAt === undefined
              ? existing.expiresAt
              : ctx.body.expiresAt === null
                ? null
                : new Date(ctx.body.expiresAt),
          createdBy: ctx.principal.actor.label.slice(0, 200),
        }),
      );
      const after = present(updated);
      await audit(ctx, 'role_assignment.update', updated.tenantId, updated.id, present(existing), after);
      return { status: 200, body: after, headers: { ETag: etagOf(updated.version) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/role-assignments/{id}',
    operationId: 'deleteRoleAssignment',
    summary: 'Remove a manual assignment',
    tag: 'Access model',
    permission: 'access.write',
    params: IdParams,
    ifMatch: true,
    responses: { 204: { description: 'Removed' } },
    handle: async (ctx) => {
      const manager = ctx.deps.dataSource.manager;
      const existing = await findVisible(manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('access.write', existing.tenantId, 'Role assignment');
      if (existing.source !== 'manual') {
        throw problems.unprocessable(
          'rule_assignment',
          'This assignment comes from a rule: change the rule instead',
        );
      }
      const expectedVersion = ifMatchVersion(ctx.req, existing.version);
      await refuseStale(() =>
        removeManualAssignment(ctx.deps.dataSource, existing.personId, existing.roleId, expectedVersion),
      );
      await audit(
        ctx,
        'role_assignment.delete',
        existing.tenantId,
        existing.id,
        present(existing),
        undefined,
      );
      return { status: 204 };
    },
  }),
];
