import type { Request } from 'express';
import { z } from 'zod';
import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from './audit.js';
import { assertIfMatch, etagOf } from './concurrency.js';
import { paginate, type SortKey } from './pagination.js';
import { problems } from './problem.js';
import { defineRoute, type ApiRoute, type RouteContext } from './route.js';
import { IdParams, listQuery, pageOf } from './schemas.js';

/** What every tenant-scoped configurable object has. */
export interface ScopedRecord extends ObjectLiteral {
  id: string;
  /** Absent on append-only records (sync runs), which then carry no ETag. */
  version?: number;
}

export interface ResourceContext {
  manager: EntityManager;
  principal: Principal;
  req: Request;
  ip: string | null;
  deps: RouteContext<unknown, unknown, unknown>['deps'];
  /** Values shown once in the create response (a generated secret or token), never stored in the clear. */
  revealOnce: Record<string, unknown>;
}

/**
 * A tenant-scoped resource with the usual operations, declared once: list (keyset-paged, filtered, sorted, limited
 * to the caller's tenants), read (ETag), create, update (If-Match) and delete, each in one transaction with its
 * audit event. Resources with unusual rules supply hooks; resources that are not simple CRUD write their own routes.
 */
export interface ResourceSpec<E extends ScopedRecord, O, C = never, U = never> {
  /** Path segment and tag: `connections`. */
  plural: string;
  /** For messages and audit actions: `connection`. */
  singular: string;
  /** For "… not found": `Connection`. */
  title: string;
  tag: string;
  entity: EntityTarget<E>;
  output: z.ZodType<O>;
  /** The tenant that owns an object (for most, its `tenantId`). */
  tenantOf(entity: E): string | null;
  /** SQL column (through the alias) holding the owning tenant, used to limit lists. */
  tenantColumn: string;
  present(entity: E, ctx: ResourceContext): Promise<O> | O;
  list: {
    sorts: Record<string, SortKey>;
    defaultSort: string;
    filters?: z.ZodRawShape;
    applyFilters?(qb: SelectQueryBuilder<E>, query: Record<string, unknown>): void;
    idCast?: 'uuid' | 'bigint';
  };
  readPermission?: Permission;
  create?: {
    permission: Permission;
    body: z.ZodType<C>;
    /**
     * The tenant the new object belongs to, checked against the caller's grants before `build`. Objects whose
     * tenant follows from a reference (an entitlement's role) leave it out and check in `build`.
     */
    tenantOf?(body: C): string;
    build(body: C, ctx: ResourceContext): Promise<Partial<E>> | Partial<E>;
    /** After insert, in the same transaction: seal secrets with the new id, and so on. */
    afterInsert?(entity: E, body: C, ctx: ResourceContext): Promise<void>;
    /** Extra response schema members shown once (a generated secret). */
    onceOutput?: z.ZodType;
  };
  update?: {
    permission: Permission;
    body: z.ZodType<U>;
    apply(entity: E, body: U, ctx: ResourceContext): Promise<void> | void;
    afterSave?(entity: E, before: E, ctx: ResourceContext): Promise<void>;
    /**
     * After the transaction committed (so a workflow it starts reads the change): best effort, it must not throw —
     * the change is saved and the response says so.
     */
    afterCommit?(entity: E, ctx: Omit<ResourceContext, 'manager'>): Promise<void>;
  };
  remove?: {
    permission: Permission;
    beforeDelete?(entity: E, ctx: ResourceContext): Promise<void>;
    afterDelete?(entity: E, ctx: ResourceContext): Promise<void>;
  };
  /** Audit target type; defaults to `singular`. */
  auditType?: string;
}

export function resourceRoutes<E extends ScopedRecord, O, C, U>(spec: ResourceSpec<E, O, C, U>): ApiRoute[] {
  const routes: ApiRoute[] = [];
  const base = `/${spec.plural}`;
  const item = `${base}/{id}`;
  const readPermission = spec.readPermission ?? 'read';
  const auditType = spec.auditType ?? spec.singular.replace(/ /g, '_');
  const sortKeys = Object.keys(spec.list.sorts) as [string, ...string[]];
  const listQuerySchema = listQuery(sortKeys, spec.list.defaultSort, spec.list.filters ?? {});
  const camel = pascal(spec.plural);
  const singularPascal = pascal(spec.singular);

  const context = (
    ctx: RouteContext<unknown, unknown, unknown>,
    manager: EntityManager,
  ): ResourceContext => ({
    manager,
    principal: ctx.principal,
    req: ctx.req,
    ip: ctx.ip,
    deps: ctx.deps,
    revealOnce: {},
  });

  routes.push(
    defineRoute({
      method: 'get',
      path: base,
      operationId: `list${camel}`,
      summary: `List ${spec.plural.replace(/-/g, ' ')}`,
      tag: spec.tag,
      permission: readPermission,
      query: listQuerySchema,
      responses: { 200: { description: 'A page', schema: pageOf(spec.output, `${singularPascal}Page`) } },
      handle: async (ctx) => {
        const tenants = ctx.principal.tenants(readPermission);
        if (tenants.length === 0) return { status: 200, body: { items: [], nextCursor: null } };
        const manager = ctx.deps.dataSource.manager;
        const qb = manager.getRepository(spec.entity).createQueryBuilder('x');
        qb.where(`${spec.tenantColumn} IN (:...visibleTenants)`, { visibleTenants: tenants });
        spec.list.applyFilters?.(qb, ctx.query as Record<string, unknown>);
        const query = ctx.query as { sort: string; limit: number; cursor?: string };
        const page = await paginate(qb, {
          alias: 'x',
          sort: query.sort,
          sorts: spec.list.sorts,
          limit: query.limit,
          cursor: query.cursor,
          idCast: spec.list.idCast ?? 'uuid',
        });
        const resourceCtx = context(ctx, manager);
        const items = [];
        for (const entity of page.items) items.push(await spec.present(entity, resourceCtx));
        return { status: 200, body: { items, nextCursor: page.nextCursor } };
      },
    }),
  );

  routes.push(
    defineRoute({
      method: 'get',
      path: item,
      operationId: `get${singularPascal}`,
      summary: `Read one ${spec.singular}`,
      tag: spec.tag,
      permission: readPermission,
      params: IdParams,
      responses: { 200: { description: `The ${spec.singular}`, schema: spec.output, etag: true } },
      handle: async (ctx) => {
        const manager = ctx.deps.dataSource.manager;
        const entity = await findVisible(manager, spec, ctx.params.id, ctx.principal, readPermission);
        return {
          status: 200,
          body: await spec.present(entity, context(ctx, manager)),
          headers: entity.version === undefined ? undefined : { ETag: etagOf(entity.version) },
        };
      },
    }),
  );

  const create = spec.create;
  if (create) {
    const createdSchema = create.onceOutput ? z.intersection(spec.output, create.onceOutput) : spec.output;
    routes.push(
      defineRoute({
        method: 'post',
        path: base,
        operationId: `create${singularPascal}`,
        summary: `Create a ${spec.singular}`,
        tag: spec.tag,
        permission: create.permission,
        body: create.body,
        responses: { 201: { description: 'Created', schema: createdSchema, etag: true } },
        handle: async (ctx) => {
          const body = ctx.body as C;
          if (create.tenantOf) ctx.principal.assertCan(create.permission, create.tenantOf(body), 'Tenant');
          return ctx.deps.dataSource.transaction(async (manager) => {
            const resourceCtx = context(ctx, manager);
            const repo = manager.getRepository(spec.entity);
            const built = await create.build(body, resourceCtx);
            const saved = (await repo.save(repo.create(built as E))) as E;
            await create.afterInsert?.(saved, body, resourceCtx);
            const fresh = await repo.findOneByOrFail({ id: saved.id } as never);
            const output = await spec.present(fresh, resourceCtx);
            await recordAudit(manager, {
              actor: ctx.principal.actor,
              tenantId: spec.tenantOf(fresh),
              action: `${auditType}.create`,
              targetType: auditType,
              targetId: fresh.id,
              after: output,
              ip: ctx.ip,
              userAgent: ctx.req.header('user-agent') ?? null,
            });
            return {
              status: 201,
              body: { ...(output as object), ...resourceCtx.revealOnce },
              headers: {
                ETag: etagOf(fresh.version ?? 0),
                Location: `${ctx.req.baseUrl}${base}/${fresh.id}`,
              },
            };
          });
        },
      }),
    );
  }

  const update = spec.update;
  if (update) {
    routes.push(
      defineRoute({
        method: 'patch',
        path: item,
        operationId: `update${singularPascal}`,
        summary: `Change a ${spec.singular} (fields left out stay as they are)`,
        tag: spec.tag,
        permission: update.permission,
        params: IdParams,
        body: update.body,
        ifMatch: true,
        responses: { 200: { description: 'Updated', schema: spec.output, etag: true } },
        handle: async (ctx) => {
          let saved: E | undefined;
          const response = await ctx.deps.dataSource.transaction(async (manager) => {
            const resourceCtx = context(ctx, manager);
            // Read with FOR UPDATE: a concurrent writer of the row (a sync page's upsert) waits for this transaction
            // or this read waits for it, so `apply` works on the committed row and no write is lost
            // (test/integration/api-override-races.test.ts). If-Match then catches a client's stale read.
            const entity = await findVisible(
              manager,
              spec,
              ctx.params.id,
              ctx.principal,
              readPermission,
              true,
            );
            ctx.principal.assertCan(update.permission, spec.tenantOf(entity), spec.title);
            assertIfMatch(ctx.req, entity.version ?? 0);
            const before = await spec.present(entity, resourceCtx);
            const snapshot = { ...entity };
            await update.apply(entity, ctx.body as U, resourceCtx);
            const repo = manager.getRepository(spec.entity);
            await repo.save(entity);
            await update.afterSave?.(entity, snapshot, resourceCtx);
            const fresh = await repo.findOneByOrFail({ id: entity.id } as never);
            const after = await spec.present(fresh, resourceCtx);
            await recordAudit(manager, {
              actor: ctx.principal.actor,
              tenantId: spec.tenantOf(fresh),
              action: `${auditType}.update`,
              targetType: auditType,
              targetId: fresh.id,
              before,
              after,
              ip: ctx.ip,
              userAgent: ctx.req.header('user-agent') ?? null,
            });
            saved = fresh;
            return { status: 200, body: after, headers: { ETag: etagOf(fresh.version ?? 0) } };
          });
          if (saved && update.afterCommit) {
            await update.afterCommit(saved, {
              principal: ctx.principal,
              req: ctx.req,
              ip: ctx.ip,
              deps: ctx.deps,
              revealOnce: {},
            });
          }
          return response;
        },
      }),
    );
  }

  const remove = spec.remove;
  if (remove) {
    routes.push(
      defineRoute({
        method: 'delete',
        path: item,
        operationId: `delete${singularPascal}`,
        summary: `Delete a ${spec.singular}`,
        tag: spec.tag,
        permission: remove.permission,
        params: IdParams,
        ifMatch: true,
        responses: { 204: { description: 'Deleted' } },
        handle: async (ctx) =>
          ctx.deps.dataSource.transaction(async (manager) => {
            const resourceCtx = context(ctx, manager);
            const entity = await findVisible(
              manager,
              spec,
              ctx.params.id,
              ctx.principal,
              readPermission,
              true,
            );
            ctx.principal.assertCan(remove.permission, spec.tenantOf(entity), spec.title);
            assertIfMatch(ctx.req, entity.version ?? 0);
            const before = await spec.present(entity, resourceCtx);
            await remove.beforeDelete?.(entity, resourceCtx);
            await manager.getRepository(spec.entity).delete({ id: entity.id } as never);
            await remove.afterDelete?.(entity, resourceCtx);
            await recordAudit(manager, {
              actor: ctx.principal.actor,
              tenantId: spec.tenantOf(entity),
              action: `${auditType}.delete`,
              targetType: auditType,
              targetId: entity.id,
              before,
              ip: ctx.ip,
              userAgent: ctx.req.header('user-agent') ?? null,
            });
            return { status: 204 };
          }),
      }),
    );
  }
  return routes;
}

/** Loads an object the caller may read (locking it for a write), or answers 404 as if it did not exist. */
export async function findVisible<E extends ScopedRecord>(
  manager: EntityManager,
  spec: Pick<ResourceSpec<E, unknown>, 'entity' | 'tenantOf' | 'title'>,
  id: string,
  principal: Principal,
  permission: Permission = 'read',
  lock = false,
): Promise<E> {
  const entity = await manager.getRepository(spec.entity).findOne({
    where: { id } as never,
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!entity || !principal.can(permission, spec.tenantOf(entity))) throw problems.notFound(spec.title);
  return entity;
}

function pascal(text: string): string {
  return text
    .split(/[-_ ]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
