import { z } from 'zod';
import { SyncEvent, SyncRun } from '../../../core/entities/index.js';
import { findVisible, resourceRoutes } from '../http/crud.js';
import { paginate } from '../http/pagination.js';
import { isoOrNull } from '../http/record-fields.js';
import { defineRoute } from '../http/route.js';
import { IdParams, listQuery, pageOf, Timestamp } from '../http/schemas.js';
import { escapeLike } from './tenants.js';

const RUN_STATUSES = [
  'running',
  'held',
  'succeeded',
  'partially_failed',
  'failed',
  'cancelled',
  'rejected',
] as const;
const RUN_KINDS = ['source', 'target', 'person', 'data', 'housekeeping', 'role_rules'] as const;
const EVENT_ACTIONS = ['create', 'update', 'disable', 'enable', 'delete', 'move', 'leaver', 'skip'] as const;
const EVENT_STATUSES = ['ok', 'planned', 'failed', 'quarantined'] as const;

const Counts = z.record(z.string(), z.number()).meta({ id: 'SyncRunCounts' });

export const SyncRunOut = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().nullable(),
    connectionId: z.uuid().nullable(),
    kind: z.enum(RUN_KINDS),
    trigger: z.string(),
    mode: z.enum(['full', 'incremental']),
    dryRun: z.boolean(),
    status: z.enum(RUN_STATUSES),
    counts: Counts,
    workflowId: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    requestedBy: z.string().nullable(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'SyncRun' });

export function presentRun(run: SyncRun) {
  return {
    id: run.id,
    tenantId: run.tenantId,
    connectionId: run.connectionId,
    kind: run.kind,
    trigger: run.trigger,
    mode: run.mode,
    dryRun: run.dryRun,
    status: run.status,
    counts: Object.fromEntries(
      Object.entries(run.counts ?? {}).filter(([, v]) => typeof v === 'number'),
    ) as Record<string, number>,
    workflowId: run.workflowId,
    error: run.error ? { code: String(run.error.code), message: String(run.error.message) } : null,
    requestedBy: run.requestedBy,
    startedAt: run.startedAt.toISOString(),
    finishedAt: isoOrNull(run.finishedAt),
    updatedAt: run.updatedAt.toISOString(),
  };
}

export const SyncEventOut = z
  .object({
    id: z.string().describe('Sequence number within Junction (bigint as text)'),
    runId: z.uuid(),
    connectionId: z.uuid().nullable(),
    objectType: z.string(),
    objectId: z.uuid().nullable(),
    externalId: z.string().nullable(),
    label: z.string().nullable(),
    action: z.enum(EVENT_ACTIONS),
    status: z.enum(EVENT_STATUSES),
    diff: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        vendorCode: z.string().optional(),
        vendorMessage: z.string().optional(),
      })
      .nullable(),
    attempts: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'SyncEvent' });

function presentEvent(e: SyncEvent) {
  return {
    id: String(e.id),
    runId: e.runId,
    connectionId: e.connectionId,
    objectType: e.objectType,
    objectId: e.objectId,
    externalId: e.externalId,
    label: e.label,
    action: e.action,
    status: e.status,
    diff: e.diff,
    error: e.error,
    attempts: e.attempts,
    createdAt: e.createdAt.toISOString(),
  };
}

const runsSpec = {
  entity: SyncRun,
  tenantOf: (run: SyncRun) => run.tenantId,
  title: 'Sync run',
};

/** Sync runs (one per workflow execution, counts updated while it runs) and the objects each one touched. */
export const syncRunRoutes = [
  ...resourceRoutes({
    plural: 'sync-runs',
    singular: 'sync run',
    title: 'Sync run',
    tag: 'Sync',
    entity: SyncRun,
    output: SyncRunOut,
    tenantOf: (run) => run.tenantId,
    tenantColumn: 'x.tenantId',
    present: presentRun,
    list: {
      sorts: {
        startedAt: { property: 'startedAt', cast: 'timestamptz' },
        updatedAt: { property: 'updatedAt', cast: 'timestamptz' },
      },
      defaultSort: '-startedAt',
      filters: {
        tenantId: z.uuid().optional(),
        connectionId: z.uuid().optional(),
        status: z.enum(RUN_STATUSES).optional(),
        kind: z.enum(RUN_KINDS).optional(),
        dryRun: z.enum(['true', 'false']).optional(),
        workflowId: z.string().max(255).optional(),
      },
      applyFilters: (qb, query) => {
        for (const key of ['tenantId', 'connectionId', 'status', 'kind', 'workflowId'] as const) {
          if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
        }
        if (query.dryRun) qb.andWhere('x.dryRun = :dryRun', { dryRun: query.dryRun === 'true' });
      },
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sync-runs/{id}/events',
    operationId: 'listSyncEvents',
    summary: 'The objects a run touched, with their diffs and errors',
    tag: 'Sync',
    permission: 'read',
    params: IdParams,
    query: listQuery(['id'], 'id', {
      action: z.enum(EVENT_ACTIONS).optional(),
      status: z.enum(EVENT_STATUSES).optional(),
      objectType: z.enum(['person', 'department', 'account', 'group', 'employee_record']).optional(),
      q: z.string().max(200).optional().describe('Label or external id contains'),
    }),
    responses: { 200: { description: 'A page of events', schema: pageOf(SyncEventOut, 'SyncEventPage') } },
    handle: async (ctx) => {
      const manager = ctx.deps.dataSource.manager;
      const run = await findVisible(manager, runsSpec, ctx.params.id, ctx.principal);
      const qb = manager
        .getRepository(SyncEvent)
        .createQueryBuilder('x')
        .where('x.runId = :runId', { runId: run.id });
      if (ctx.query.action) qb.andWhere('x.action = :action', { action: ctx.query.action });
      if (ctx.query.status) qb.andWhere('x.status = :status', { status: ctx.query.status });
      if (ctx.query.objectType)
        qb.andWhere('x.objectType = :objectType', { objectType: ctx.query.objectType });
      if (ctx.query.q) {
        qb.andWhere('(x.label ILIKE :q OR x.externalId ILIKE :q)', { q: `%${escapeLike(ctx.query.q)}%` });
      }
      const page = await paginate(qb, {
        alias: 'x',
        sort: ctx.query.sort,
        sorts: { id: { property: 'id', cast: 'bigint' } },
        limit: ctx.query.limit,
        cursor: ctx.query.cursor,
        idCast: 'bigint',
      });
      return { status: 200, body: { items: page.items.map(presentEvent), nextCursor: page.nextCursor } };
    },
  }),
];
