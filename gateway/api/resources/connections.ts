import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Connection } from '../../../core/entities/index.js';
import { JunctionError } from '../../../core/errors.js';
import { secretFieldNames } from '../../../connectors/kit/config-schema.js';
import type { RegisteredConnector } from '../../../connectors/kit/contract.js';
import type { Vault } from '../../../core/vault/vault.js';
import { connectionSecretsContext, sealConnectionConfig } from '../../../connectors/open-connector.js';
import { findConnector } from '../../../connectors/registry.js';
import { mappingsSchema } from '../../../workers/access/attribute-mapping.js';
import { compileMappings } from '../../../workers/access/attribute-mapping.js';
import { compileScopeFilter } from '../../../workers/access/scope-filter.js';
import { applyConnectionSchedules } from '../../../workers/schedules.js';
import { resourceRoutes, type ResourceContext } from '../http/crud.js';
import { problems, validationProblem } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { MaskedSecret, Name, SECRET_MASK, Slug } from '../http/schemas.js';
import { isPushSource } from './push-sources.js';
import { escapeLike } from './tenants.js';

/** Five cron fields (minute hour day month weekday) of the characters cron uses; Temporal parses the rest. */
const CRON_FIELD = '[0-9A-Za-z*,/?#-]{1,40}';
const Cron = z
  .string()
  .trim()
  .max(200)
  .regex(
    new RegExp(`^${CRON_FIELD}( +${CRON_FIELD}){4}$`),
    'must be a five-field cron expression such as "*/15 * * * *"',
  );

export const ScheduleSchema = z
  .strictObject({
    intervalSeconds: z
      .number()
      .int()
      .min(30)
      .max(7 * 86400)
      .optional()
      .describe('Incremental runs every N seconds'),
    cron: Cron.optional().describe('Incremental runs on a cron expression (instead of the interval)'),
    fullReconcileCron: Cron.optional().describe(
      'Full reconcile (repairs drift, finds leavers); nightly by default',
    ),
    overlap: z.enum(['skip', 'buffer_one', 'cancel_other', 'allow_all']).optional(),
    paused: z.boolean().optional(),
  })
  .meta({ id: 'ConnectionSchedule' });

export const DeletionSchema = z
  .strictObject({
    leaverAction: z.enum(['disable', 'delete', 'none']).describe('`none` is "upsert only, never delete"'),
    graceDays: z.number().int().min(0).max(3650),
    thresholdPercent: z
      .number()
      .min(0)
      .max(100)
      .describe('A run disabling / deleting more than this share holds'),
    thresholdCount: z.number().int().min(0).max(1_000_000),
  })
  .meta({ id: 'DeletionPolicy' });

const Mappings = z
  .record(z.string(), z.unknown())
  .describe('Target attribute → source field path, { constant }, or { expression } (JSONata)');

export const ConnectionOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    connectorId: z.string(),
    slug: z.string(),
    name: z.string(),
    direction: z.enum(['source', 'target']),
    config: z.record(z.string(), z.unknown()).describe('The non-secret settings'),
    secrets: z
      .record(z.string(), MaskedSecret)
      .describe('Secret settings: write-only, reads say whether set'),
    schedule: ScheduleSchema,
    scopeFilter: z.string().nullable(),
    mappings: z.record(z.string(), z.unknown()),
    ownedAttributes: z.array(z.string()),
    deletion: DeletionSchema,
    accountScope: z.enum(['entitled', 'all']),
    enabled: z.boolean(),
    hasSyncState: z.boolean().describe('An incremental cursor / watermark is stored'),
  })
  .meta({ id: 'Connection' });

const ConfigInput = z
  .record(z.string(), z.unknown())
  .describe('Settings per the connector’s config schema (GET /connectors); secret fields are write-only');

const common = {
  name: Name,
  config: ConfigInput,
  schedule: ScheduleSchema,
  scopeFilter: z.string().max(4000).nullable().describe('JSONata boolean over the person; null = everyone'),
  mappings: Mappings,
  ownedAttributes: z.array(z.string().min(1).max(200)).max(500),
  deletion: DeletionSchema,
  accountScope: z.enum(['entitled', 'all']),
  enabled: z.boolean(),
};

const ConnectionCreate = z.strictObject({
  tenantId: z.uuid(),
  connectorId: z.string().min(1).max(64),
  slug: Slug,
  direction: z.enum(['source', 'target']),
  name: common.name,
  config: common.config.default({}),
  schedule: common.schedule.default({}),
  scopeFilter: common.scopeFilter.default(null),
  mappings: common.mappings.default({}),
  ownedAttributes: common.ownedAttributes.default([]),
  deletion: common.deletion.optional(),
  accountScope: common.accountScope.default('entitled'),
  enabled: common.enabled.default(true),
});

const ConnectionUpdate = z.strictObject({
  name: common.name.optional(),
  config: common.config
    .optional()
    .describe(
      'Merged into the stored settings; a field set to null is removed; secrets left out (or sent as the mask) are kept',
    ),
  schedule: common.schedule.optional(),
  scopeFilter: common.scopeFilter.optional(),
  mappings: common.mappings.optional(),
  ownedAttributes: common.ownedAttributes.optional(),
  deletion: common.deletion.optional(),
  accountScope: common.accountScope.optional(),
  enabled: common.enabled.optional(),
});

function definitionFor(connectorId: string): RegisteredConnector | null {
  if (isPushSource(connectorId)) return null;
  const definition = findConnector(connectorId);
  if (!definition) {
    throw validationProblem(`connectorId: no connector ${connectorId} (see GET /connectors)`, [
      { pointer: 'body.connectorId', message: 'unknown connector', code: 'invalid_value' },
    ]);
  }
  return definition;
}

/** The kit's and the engine's validators speak JunctionErrors; the API answers them as field problems. */
function asFieldProblem(pointer: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    if (error instanceof JunctionError && error.status < 500) {
      throw validationProblem(`${pointer.replace(/^body\./, '')}: ${error.publicMessage}`, [
        { pointer, message: error.publicMessage, code: error.code },
      ]);
    }
    throw error;
  }
}

function checkMappingsAndScope(
  mappings: Record<string, unknown> | undefined,
  scopeFilter: string | null | undefined,
): void {
  if (mappings !== undefined) {
    const parsed = mappingsSchema.safeParse(mappings);
    if (!parsed.success) {
      throw validationProblem(
        'mappings: invalid',
        parsed.error.issues.map((i) => ({
          pointer: ['body', 'mappings', ...i.path.map(String)].join('.'),
          message: i.message,
          code: i.code,
        })),
      );
    }
    asFieldProblem('body.mappings', () => compileMappings(mappings));
  }
  if (scopeFilter) asFieldProblem('body.scopeFilter', () => compileScopeFilter(scopeFilter));
}

/** Opens the stored secrets (to merge a partial update); they never leave this function except re-sealed. */
function storedSecrets(connection: Connection, ctx: ResourceContext): Record<string, unknown> {
  if (!connection.secretsSealed) return {};
  return ctx.deps.vault.openJson<Record<string, unknown>>(
    connection.secretsSealed,
    connectionSecretsContext(connection.id),
  );
}

function sealConfig(
  definition: RegisteredConnector,
  raw: Record<string, unknown>,
  ctx: ResourceContext,
  id: string,
) {
  let sealed: { config: Record<string, unknown>; secretsSealed: string | null } = {
    config: {},
    secretsSealed: null,
  };
  asFieldProblem('body.config', () => {
    sealed = sealConnectionConfig(definition, raw, ctx.deps.vault, id);
  });
  return sealed;
}

export function presentConnection(c: Connection, vault: Vault) {
  const definition = isPushSource(c.connectorId) ? null : findConnector(c.connectorId);
  const names = definition ? secretFieldNames(definition.configSchema) : [];
  // Which secrets are set: the sealed blob is opened here only to list its keys; values never leave.
  let stored: string[] = [];
  if (c.secretsSealed) {
    try {
      stored = Object.keys(
        vault.openJson<Record<string, unknown>>(c.secretsSealed, connectionSecretsContext(c.id)),
      );
    } catch {
      stored = names;
    }
  }
  return {
    ...presentRecord(c),
    tenantId: c.tenantId,
    connectorId: c.connectorId,
    slug: c.slug,
    name: c.name,
    direction: c.direction,
    config: c.config,
    secrets: Object.fromEntries(names.map((name) => [name, { set: stored.includes(name) }])),
    schedule: c.schedule,
    scopeFilter: c.scopeFilter,
    mappings: c.mappings,
    ownedAttributes: c.ownedAttributes,
    deletion: c.deletion,
    accountScope: c.accountScope,
    enabled: c.enabled,
    hasSyncState: c.syncState !== null && Object.keys(c.syncState).length > 0,
  };
}

/** Keeps Temporal's schedules in step with the row, inside the transaction: if Temporal refuses, nothing is saved. */
async function syncSchedules(connection: Connection | null, id: string, ctx: ResourceContext): Promise<void> {
  if (connection && isPushSource(connection.connectorId)) return;
  try {
    await applyConnectionSchedules(ctx.deps.temporal.client, ctx.deps.temporal.taskQueue, id, connection);
  } catch (error) {
    // The client's own cron check (a TypeError naming the bad field) or gRPC INVALID_ARGUMENT (3) from the server:
    // the schedule is the admin's to fix, not an outage.
    const e = error as { code?: number; cause?: { code?: number }; message?: string };
    if (error instanceof TypeError || e.code === 3 || e.cause?.code === 3) {
      const reason = (e.message ?? 'invalid schedule').split('\n')[0]?.slice(0, 300) ?? 'invalid schedule';
      throw validationProblem(`schedule: Temporal refused it (${reason})`, [
        { pointer: 'body.schedule', message: reason, code: 'invalid_schedule' },
      ]);
    }
    ctx.deps.log.warn({ err: error, connection: id }, 'could not update the connection schedules');
    throw problems.unavailable(
      'temporal_unavailable',
      'Temporal did not accept the schedule change; nothing was saved: retry',
    );
  }
}

/**
 * Connections: a configured connector for a tenant (config validated by the connector's own zod schema, secret
 * fields sealed with context `connection:<id>`), with its schedule, scope, mappings and deletion policy.
 */
export const connectionRoutes = resourceRoutes({
  plural: 'connections',
  singular: 'connection',
  title: 'Connection',
  tag: 'Connections',
  entity: Connection,
  output: ConnectionOut,
  tenantOf: (c) => c.tenantId,
  tenantColumn: 'x.tenantId',
  present: (c, ctx) => presentConnection(c, ctx.deps.vault),
  list: {
    sorts: {
      name: { property: 'name', cast: 'text' },
      slug: { property: 'slug', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'name',
    filters: {
      tenantId: z.uuid().optional(),
      connectorId: z.string().max(64).optional(),
      direction: z.enum(['source', 'target']).optional(),
      enabled: z.enum(['true', 'false']).optional(),
      q: z.string().max(200).optional(),
    },
    applyFilters: (qb, query) => {
      for (const key of ['tenantId', 'connectorId', 'direction'] as const) {
        if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
      }
      if (query.enabled) qb.andWhere('x.enabled = :enabled', { enabled: query.enabled === 'true' });
      if (query.q)
        qb.andWhere('(x.name ILIKE :q OR x.slug ILIKE :q)', { q: `%${escapeLike(String(query.q))}%` });
    },
  },
  create: {
    permission: 'connections.write',
    body: ConnectionCreate,
    tenantOf: (body) => body.tenantId,
    build: (body, ctx) => {
      const definition = definitionFor(body.connectorId);
      if (definition && !definition.directions.includes(body.direction)) {
        throw validationProblem(
          `direction: ${definition.title} can be ${definition.directions.join(' or ')}`,
          [
            {
              pointer: 'body.direction',
              message: `must be ${definition.directions.join(' or ')}`,
              code: 'invalid_value',
            },
          ],
        );
      }
      if (!definition && body.direction !== 'source') {
        throw validationProblem('direction: an inbound SCIM connection is a source', [
          { pointer: 'body.direction', message: 'must be source', code: 'invalid_value' },
        ]);
      }
      checkMappingsAndScope(body.mappings, body.scopeFilter);
      const id = randomUUID();
      const sealed = definition
        ? sealConfig(definition, body.config, ctx, id)
        : { config: {}, secretsSealed: null };
      return {
        id,
        tenantId: body.tenantId,
        connectorId: body.connectorId,
        slug: body.slug,
        name: body.name,
        direction: body.direction,
        config: sealed.config,
        secretsSealed: sealed.secretsSealed,
        schedule: body.schedule,
        scopeFilter: body.scopeFilter,
        mappings: body.mappings,
        ownedAttributes: body.ownedAttributes,
        ...(body.deletion ? { deletion: body.deletion } : {}),
        accountScope: body.accountScope,
        enabled: body.enabled,
      };
    },
    afterInsert: async (connection, _body, ctx) => {
      await syncSchedules(connection, connection.id, ctx);
    },
  },
  update: {
    permission: 'connections.write',
    body: ConnectionUpdate,
    apply: (connection, body, ctx) => {
      checkMappingsAndScope(body.mappings, body.scopeFilter);
      if (body.config !== undefined) {
        const definition = definitionFor(connection.connectorId);
        if (definition) {
          const secretNames = new Set(secretFieldNames(definition.configSchema));
          const merged: Record<string, unknown> = { ...connection.config, ...storedSecrets(connection, ctx) };
          for (const [key, value] of Object.entries(body.config)) {
            // A form sends secrets back as the mask (or empty) when the admin did not retype them: keep the stored one.
            if (secretNames.has(key) && (value === SECRET_MASK || value === '' || value === undefined))
              continue;
            if (value === null) Reflect.deleteProperty(merged, key);
            else merged[key] = value;
          }
          const sealed = sealConfig(definition, merged, ctx, connection.id);
          connection.config = sealed.config;
          connection.secretsSealed = sealed.secretsSealed;
        } else if (Object.keys(body.config).length > 0) {
          throw validationProblem('config: an inbound SCIM connection has no settings', [
            { pointer: 'body.config', message: 'must be empty', code: 'invalid_value' },
          ]);
        }
      }
      if (body.name !== undefined) connection.name = body.name;
      if (body.schedule !== undefined) connection.schedule = body.schedule;
      if (body.scopeFilter !== undefined) connection.scopeFilter = body.scopeFilter;
      if (body.mappings !== undefined) connection.mappings = body.mappings;
      if (body.ownedAttributes !== undefined) connection.ownedAttributes = body.ownedAttributes;
      if (body.deletion !== undefined) connection.deletion = body.deletion;
      if (body.accountScope !== undefined) connection.accountScope = body.accountScope;
      if (body.enabled !== undefined) connection.enabled = body.enabled;
    },
    afterSave: async (connection, _before, ctx) => {
      await syncSchedules(connection, connection.id, ctx);
    },
  },
  remove: {
    permission: 'connections.write',
    afterDelete: async (connection, ctx) => {
      await syncSchedules(null, connection.id, ctx);
    },
  },
});
