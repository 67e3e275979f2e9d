import { IsNull } from 'typeorm';
import { z } from 'zod';
import { ApiToken, Connection } from '../../../core/entities/index.js';
import { ADMIN_ROLES, PERMISSIONS, effectivePermissions } from '../auth/permissions.js';
import { mintToken } from '../auth/token-secret.js';
import { recordAudit } from '../http/audit.js';
import { findVisible, resourceRoutes } from '../http/crud.js';
import { validationProblem } from '../http/problem.js';
import { isoOrNull, presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute } from '../http/route.js';
import { IdParams, Name, Timestamp, TimestampInput } from '../http/schemas.js';
import { assertMayGrant } from './admin-grants.js';
import { loadReference } from './references.js';
import { SCIM_INBOUND_CONNECTOR } from './push-sources.js';

export const ApiTokenOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    name: z.string(),
    kind: z.enum(['admin', 'scim']),
    prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
    role: z.enum(ADMIN_ROLES).nullable(),
    scopes: z.array(z.string()),
    connectionId: z.uuid().nullable(),
    createdBy: z.string().nullable(),
    expiresAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

function present(t: ApiToken) {
  return {
    ...presentRecord(t),
    tenantId: t.tenantId,
    name: t.name,
    kind: t.kind,
    prefix: t.prefix,
    role: t.role,
    scopes: t.scopes,
    connectionId: t.connectionId,
    createdBy: t.createdBy,
    expiresAt: isoOrNull(t.expiresAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}

const TokenCreate = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('admin'),
    tenantId: z.uuid().describe('The root of the subtree the token may act on'),
    name: Name,
    role: z.enum(ADMIN_ROLES),
    scopes: z
      .array(z.enum(PERMISSIONS))
      .max(PERMISSIONS.length)
      .default([])
      .describe('Narrow the role to these permissions; empty keeps the whole role'),
    expiresAt: TimestampInput.nullable().default(null),
  }),
  z.strictObject({
    kind: z.literal('scim'),
    connectionId: z.uuid().describe(`A source connection of type ${SCIM_INBOUND_CONNECTOR}`),
    name: Name,
    expiresAt: TimestampInput.nullable().default(null),
  }),
]);

const tokenSpec = { entity: ApiToken, tenantOf: (t: ApiToken) => t.tenantId, title: 'API token' };

/**
 * API tokens for automation (admin) and for inbound SCIM clients (scim, bound to a source connection). The token
 * itself is returned once, at creation; Junction keeps only its SHA-256. Deleting a token revokes it.
 */
export const apiTokenRoutes = [
  ...resourceRoutes({
    plural: 'api-tokens',
    singular: 'API token',
    title: 'API token',
    tag: 'Administrators',
    entity: ApiToken,
    output: ApiTokenOut,
    tenantOf: (t) => t.tenantId,
    tenantColumn: 'x.tenantId',
    auditType: 'api_token',
    present,
    list: {
      sorts: {
        createdAt: { property: 'createdAt', cast: 'timestamptz' },
        name: { property: 'name', cast: 'text' },
      },
      defaultSort: '-createdAt',
      filters: {
        tenantId: z.uuid().optional(),
        kind: z.enum(['admin', 'scim']).optional(),
        connectionId: z.uuid().optional(),
        revoked: z.enum(['true', 'false']).optional(),
      },
      applyFilters: (qb, query) => {
        for (const key of ['tenantId', 'kind', 'connectionId'] as const) {
          if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
        }
        if (query.revoked === 'true') qb.andWhere('x.revokedAt IS NOT NULL');
        if (query.revoked === 'false') qb.andWhere('x.revokedAt IS NULL');
      },
    },
    create: {
      permission: 'read',
      body: TokenCreate,
      build: async (body, ctx) => {
        if (body.expiresAt && new Date(body.expiresAt).getTime() <= Date.now()) {
          throw validationProblem('expiresAt must be in the future', [
            { pointer: 'body.expiresAt', message: 'must be in the future', code: 'too_small' },
          ]);
        }
        const minted = mintToken(body.kind);
        ctx.revealOnce.token = minted.token;
        const common = {
          name: body.name,
          tokenHash: minted.hash,
          prefix: minted.prefix,
          createdBy: ctx.principal.actor.label.slice(0, 200),
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        };
        if (body.kind === 'admin') {
          assertMayGrant(ctx.principal, body.tenantId, effectivePermissions(body.role, body.scopes));
          return {
            ...common,
            kind: 'admin' as const,
            tenantId: body.tenantId,
            role: body.role,
            scopes: body.scopes,
            connectionId: null,
          };
        }
        const connection = await loadReference(
          ctx.manager,
          Connection,
          body.connectionId,
          ctx.principal,
          'connectionId',
          'Connection',
        );
        ctx.principal.assertCan('connections.write', connection.tenantId, 'Connection');
        if (connection.connectorId !== SCIM_INBOUND_CONNECTOR || connection.direction !== 'source') {
          throw validationProblem(
            `connectionId: SCIM tokens belong to a ${SCIM_INBOUND_CONNECTOR} source connection`,
            [
              {
                pointer: 'body.connectionId',
                message: `is not a ${SCIM_INBOUND_CONNECTOR} source`,
                code: 'wrong_connector',
              },
            ],
          );
        }
        return {
          ...common,
          kind: 'scim' as const,
          tenantId: connection.tenantId,
          role: null,
          scopes: [],
          connectionId: connection.id,
        };
      },
      onceOutput: z.object({ token: z.string().describe('The bearer token. Shown once: store it now.') }),
    },
    update: {
      permission: 'read',
      body: z.strictObject({ name: Name.optional() }),
      apply: (token, body, ctx) => {
        ctx.principal.assertCan(
          token.kind === 'scim' ? 'connections.write' : 'admins.write',
          token.tenantId,
          'API token',
        );
        if (body.name !== undefined) token.name = body.name;
      },
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api-tokens/{id}',
    operationId: 'revokeApiToken',
    summary: 'Revoke a token (it stops working at once; the record stays for the audit trail)',
    tag: 'Administrators',
    permission: 'read',
    params: IdParams,
    responses: { 204: { description: 'Revoked' } },
    handle: async (ctx) =>
      ctx.deps.dataSource.transaction(async (manager) => {
        const token = await findVisible(manager, tokenSpec, ctx.params.id, ctx.principal, 'read', true);
        ctx.principal.assertCan(
          token.kind === 'scim' ? 'connections.write' : 'admins.write',
          token.tenantId,
          'API token',
        );
        if (token.revokedAt === null) {
          const before = present(token);
          await manager
            .getRepository(ApiToken)
            .update({ id: token.id, revokedAt: IsNull() }, { revokedAt: new Date() });
          const after = present(await manager.getRepository(ApiToken).findOneByOrFail({ id: token.id }));
          await recordAudit(manager, {
            actor: ctx.principal.actor,
            tenantId: token.tenantId,
            action: 'api_token.revoke',
            targetType: 'api_token',
            targetId: token.id,
            before,
            after,
            ip: ctx.ip,
            userAgent: ctx.req.header('user-agent') ?? null,
          });
        }
        return { status: 204 };
      }),
  }),
];
