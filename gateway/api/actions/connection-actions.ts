import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import { Connection, SyncRun } from '../../../core/entities/index.js';
import { JunctionError } from '../../../core/errors.js';
import { withDeadline } from '../../../core/with-deadline.js';
import { isConnectorError } from '../../../connectors/kit/errors.js';
import { openConnector } from '../../../connectors/open-connector.js';
import { previewMapping } from '../../../workers/access/preview-mapping.js';
import { pauseConnectionSchedules, startConnectionSync } from '../../../workers/client.js';
import { recordAudit } from '../http/audit.js';
import { etagOf } from '../http/concurrency.js';
import { findVisible } from '../http/crud.js';
import { problems, validationProblem } from '../http/problem.js';
import { defineRoute, type RouteContext } from '../http/route.js';
import { IdParams } from '../http/schemas.js';
import { ConnectionOut, presentConnection } from '../resources/connections.js';
import { isPushSource } from '../resources/push-sources.js';
import { auditAction, requester } from './action-audit.js';
import { temporalCall } from './temporal-call.js';

const spec = { entity: Connection, tenantOf: (c: Connection) => c.tenantId, title: 'Connection' };
const CHECK_DEADLINE_MS = 30_000;

async function operable(ctx: RouteContext<{ id: string }, unknown, unknown>): Promise<Connection> {
  const connection = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
  ctx.principal.assertCan('connections.operate', connection.tenantId, 'Connection');
  return connection;
}

function pullOnly(connection: Connection): void {
  if (isPushSource(connection.connectorId)) {
    throw problems.unprocessable(
      'push_source',
      'An inbound SCIM connection is written by its SCIM client; Junction does not read it',
    );
  }
}

export const CheckResultOut = z
  .object({
    ok: z.boolean(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    error: z
      .object({ code: z.string(), vendorCode: z.string().optional(), vendorMessage: z.string().optional() })
      .optional(),
    durationMs: z.number(),
  })
  .meta({ id: 'ConnectionCheck' });

const StartedOut = z
  .object({
    workflowId: z.string(),
    runId: z
      .uuid()
      .nullable()
      .describe('The SyncRun, once the worker has begun it (poll /sync-runs?workflowId=…)'),
  })
  .meta({ id: 'StartedRun' });

/** The SyncRun a just-started workflow writes first; looked for briefly so the console can open it at once. */
async function findRunId(manager: EntityManager, workflowId: string, waitMs: number): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const run = await manager
      .getRepository(SyncRun)
      .findOne({ where: { workflowId }, order: { startedAt: 'ASC' } });
    if (run) return run.id;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const RunBody = z.strictObject({
  mode: z.enum(['full', 'incremental']).default('incremental'),
});

function startRoute(kind: 'run' | 'dry-run') {
  const dryRun = kind === 'dry-run';
  return defineRoute({
    method: 'post',
    path: `/connections/{id}/${kind}`,
    operationId: dryRun ? 'dryRunConnection' : 'runConnection',
    summary: dryRun
      ? 'Dry run: compute the plan (creates / updates / disables with field diffs) without writing to any target'
      : 'Run the sync now (a source then provisions every target of its tenant)',
    tag: 'Connections',
    permission: 'connections.operate',
    params: IdParams,
    body: RunBody,
    responses: { 202: { description: 'Started; follow the run', schema: StartedOut } },
    handle: async (ctx) => {
      const connection = await operable(ctx);
      pullOnly(connection);
      if (!connection.enabled)
        throw problems.unprocessable('connection_disabled', 'The connection is disabled: enable it first');
      const started = await temporalCall(ctx.deps.log, dryRun ? 'start the dry run' : 'start the run', () =>
        startConnectionSync(
          ctx.deps.temporal.client,
          ctx.deps.temporal.taskQueue,
          { id: connection.id, direction: connection.direction },
          { mode: ctx.body.mode, dryRun, trigger: 'api', requestedBy: requester(ctx) },
        ),
      );
      await auditAction(ctx, {
        tenantId: connection.tenantId,
        action: dryRun ? 'connection.dry_run' : 'connection.run',
        targetType: 'connection',
        targetId: connection.id,
        after: { workflowId: started.workflowId, mode: ctx.body.mode },
      });
      const runId = await findRunId(ctx.deps.dataSource.manager, started.workflowId, 5_000);
      return { status: 202, body: { workflowId: started.workflowId, runId } };
    },
  });
}

function pauseRoute(paused: boolean) {
  return defineRoute({
    method: 'post',
    path: `/connections/{id}/${paused ? 'pause' : 'resume'}`,
    operationId: paused ? 'pauseConnection' : 'resumeConnection',
    summary: paused ? 'Pause the connection’s schedules' : 'Resume the connection’s schedules',
    tag: 'Connections',
    permission: 'connections.operate',
    params: IdParams,
    responses: { 200: { description: 'The connection', schema: ConnectionOut, etag: true } },
    handle: async (ctx) => {
      const connection = await operable(ctx);
      pullOnly(connection);
      return ctx.deps.dataSource.transaction(async (manager) => {
        const locked = await manager
          .getRepository(Connection)
          .findOneOrFail({ where: { id: connection.id }, lock: { mode: 'pessimistic_write' } });
        const before = presentConnection(locked, ctx.deps.vault);
        locked.schedule = { ...locked.schedule, paused };
        await manager.getRepository(Connection).save(locked);
        await temporalCall(ctx.deps.log, paused ? 'pause the schedules' : 'resume the schedules', () =>
          pauseConnectionSchedules(
            ctx.deps.temporal.client,
            locked.id,
            paused,
            `${paused ? 'paused' : 'resumed'} by ${requester(ctx)}`,
          ),
        );
        const fresh = await manager.getRepository(Connection).findOneByOrFail({ id: locked.id });
        const after = presentConnection(fresh, ctx.deps.vault);
        await recordAudit(manager, {
          actor: ctx.principal.actor,
          tenantId: fresh.tenantId,
          action: paused ? 'connection.pause' : 'connection.resume',
          targetType: 'connection',
          targetId: fresh.id,
          before,
          after,
          ip: ctx.ip,
          userAgent: ctx.req.header('user-agent') ?? null,
        });
        return { status: 200, body: after, headers: { ETag: etagOf(fresh.version) } };
      });
    },
  });
}

const MappingPreviewOut = z
  .object({
    items: z.array(
      z.object({
        personId: z.uuid(),
        displayName: z.string(),
        wanted: z.boolean().describe('Whether the person would have an account'),
        reason: z.string().nullable().describe('Why not: out_of_scope, not_entitled, leaver, pending'),
        account: z.record(z.string(), z.unknown()).describe('What would be written to the target'),
        groups: z.array(z.string()),
        errors: z.record(z.string(), z.string()).describe('Mapping failures per attribute'),
      }),
    ),
  })
  .meta({ id: 'MappingPreview' });

/** Test, preview, run, dry-run, pause and resume a connection: the engine and the connector do the work. */
export const connectionActionRoutes = [
  defineRoute({
    method: 'post',
    path: '/connections/{id}/check',
    operationId: 'checkConnection',
    summary: 'Test the connection: reachability, credentials and permissions, with the vendor’s own answer',
    tag: 'Connections',
    permission: 'connections.operate',
    params: IdParams,
    responses: { 200: { description: 'The result (ok or not)', schema: CheckResultOut } },
    handle: async (ctx) => {
      const connection = await operable(ctx);
      pullOnly(connection);
      const started = Date.now();
      let result: z.infer<typeof CheckResultOut>;
      try {
        const opened = openConnector(connection, { vault: ctx.deps.vault, log: ctx.deps.log });
        try {
          const report = await withDeadline(
            opened.instance.check(),
            CHECK_DEADLINE_MS,
            'the vendor did not answer',
          );
          result = {
            ok: true,
            message: report.message,
            ...(report.details ? { details: report.details } : {}),
            durationMs: Date.now() - started,
          };
        } finally {
          await opened.instance.close?.().catch(() => undefined);
        }
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        const connectorError = isConnectorError(error) ? error : isConnectorError(cause) ? cause : undefined;
        result = {
          ok: false,
          message:
            connectorError?.publicMessage ??
            (error instanceof JunctionError
              ? error.publicMessage
              : 'The check did not complete: ' +
                (error instanceof Error ? error.message.slice(0, 300) : 'unknown error')),
          error: {
            code:
              connectorError?.connectorCode ?? (error instanceof JunctionError ? error.code : 'unavailable'),
            ...(connectorError?.vendorCode ? { vendorCode: connectorError.vendorCode } : {}),
            ...(connectorError?.vendorMessage ? { vendorMessage: connectorError.vendorMessage } : {}),
          },
          durationMs: Date.now() - started,
        };
      }
      await auditAction(ctx, {
        tenantId: connection.tenantId,
        action: 'connection.check',
        targetType: 'connection',
        targetId: connection.id,
        outcome: result.ok ? 'success' : 'failure',
        reason: result.ok ? null : result.message.slice(0, 500),
      });
      return { status: 200, body: result };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/connections/{id}/preview-mapping',
    operationId: 'previewConnectionMapping',
    summary: 'What the connection would push for some people, with draft mappings / scope (nothing is saved)',
    tag: 'Connections',
    permission: 'read',
    params: IdParams,
    body: z.strictObject({
      mappings: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Draft mappings; the saved ones when left out'),
      scopeFilter: z.string().max(4000).nullable().optional(),
      personIds: z.array(z.uuid()).max(50).optional(),
      sample: z.number().int().min(1).max(50).default(5),
    }),
    responses: { 200: { description: 'One row per person', schema: MappingPreviewOut } },
    handle: async (ctx) => {
      const connection = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      if (connection.direction !== 'target') {
        throw problems.unprocessable(
          'not_a_target',
          'Mappings shape what Junction writes to a target connection',
        );
      }
      let items;
      try {
        items = await previewMapping(ctx.deps.dataSource, {
          connectionId: connection.id,
          ...(ctx.body.mappings !== undefined ? { mappings: ctx.body.mappings } : {}),
          ...(ctx.body.scopeFilter !== undefined ? { scopeFilter: ctx.body.scopeFilter } : {}),
          ...(ctx.body.personIds ? { personIds: ctx.body.personIds } : {}),
          sample: ctx.body.sample,
        });
      } catch (error) {
        if (error instanceof JunctionError && error.status < 500) {
          throw validationProblem(error.publicMessage, [
            { pointer: 'body.mappings', message: error.publicMessage, code: error.code },
          ]);
        }
        throw error;
      }
      return {
        status: 200,
        body: {
          items: items.map((item) => ({
            personId: item.personId,
            displayName: item.displayName,
            wanted: item.wanted,
            reason: item.reason,
            account: item.account as unknown as Record<string, unknown>,
            groups: item.groups,
            errors: item.errors,
          })),
        },
      };
    },
  }),
  startRoute('dry-run'),
  startRoute('run'),
  pauseRoute(true),
  pauseRoute(false),
];
