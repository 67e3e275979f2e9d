import { z } from 'zod';
import { Connection, Person, Tenant, TenantDomain } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { ApiProblem } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { Name, Slug } from '../http/schemas.js';

const TenantSettings = z
  .strictObject({
    unknownIdentityPolicy: z
      .enum(['deny', 'pending'])
      .optional()
      .describe('Someone signs in upstream and matches no HR person: refuse, or create a pending person'),
    sessionIdleMinutes: z.number().int().min(5).max(1440).optional(),
    sessionAbsoluteHours: z.number().int().min(1).max(720).optional(),
  })
  .meta({ id: 'TenantSettings' });

export const TenantOut = z
  .object({
    ...recordFields,
    parentId: z.uuid().nullable(),
    kind: z.enum(['group', 'subsidiary']),
    slug: Slug,
    name: z.string(),
    settings: TenantSettings,
    domains: z.array(z.string()),
  })
  .meta({ id: 'Tenant' });

const TenantCreate = z.strictObject({
  parentId: z.uuid().describe('The group (or subsidiary) the new subsidiary sits under'),
  slug: Slug,
  name: Name,
  settings: TenantSettings.default({}),
});

const TenantUpdate = z.strictObject({
  name: Name.optional(),
  settings: TenantSettings.optional(),
});

/**
 * Tenants: the group company and its subsidiaries. A tenant's "owner tenant" for access checks is itself. New
 * tenants are always created under one the caller manages; root tenants come from `junction` set-up, never the API.
 */
export const tenantRoutes = resourceRoutes({
  plural: 'tenants',
  singular: 'tenant',
  title: 'Tenant',
  tag: 'Tenants',
  entity: Tenant,
  output: TenantOut,
  tenantOf: (tenant) => tenant.id,
  tenantColumn: 'x.id',
  present: async (tenant, ctx) => {
    const domains = await ctx.manager
      .getRepository(TenantDomain)
      .find({ where: { tenantId: tenant.id }, order: { domain: 'ASC' } });
    return {
      ...presentRecord(tenant),
      parentId: tenant.parentId,
      kind: tenant.parentId ? ('subsidiary' as const) : ('group' as const),
      slug: tenant.slug,
      name: tenant.name,
      settings: tenant.settings,
      domains: domains.map((d) => d.domain),
    };
  },
  list: {
    sorts: {
      name: { property: 'name', cast: 'text' },
      slug: { property: 'slug', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'name',
    filters: {
      parentId: z.uuid().optional().describe('Only direct children of this tenant'),
      q: z.string().max(200).optional().describe('Name or slug contains'),
    },
    applyFilters: (qb, query) => {
      if (query.parentId) qb.andWhere('x.parentId = :parentId', { parentId: query.parentId });
      if (query.q)
        qb.andWhere('(x.name ILIKE :q OR x.slug ILIKE :q)', { q: `%${escapeLike(String(query.q))}%` });
    },
  },
  create: {
    permission: 'tenants.manage',
    body: TenantCreate,
    tenantOf: (body) => body.parentId,
    build: (body) => ({ parentId: body.parentId, slug: body.slug, name: body.name, settings: body.settings }),
  },
  update: {
    permission: 'tenants.update',
    body: TenantUpdate,
    apply: (tenant, body) => {
      if (body.name !== undefined) tenant.name = body.name;
      if (body.settings !== undefined) tenant.settings = body.settings;
    },
  },
  remove: {
    permission: 'tenants.manage',
    beforeDelete: async (tenant, ctx) => {
      // Removing your own top is never right: it needs the right to manage the parent too.
      ctx.principal.assertCan('tenants.manage', tenant.parentId, 'Tenant');
      const children = await ctx.manager.getRepository(Tenant).count({ where: { parentId: tenant.id } });
      const people = await ctx.manager.getRepository(Person).count({ where: { tenantId: tenant.id } });
      const connections = await ctx.manager
        .getRepository(Connection)
        .count({ where: { tenantId: tenant.id } });
      if (children + people + connections > 0) {
        throw new ApiProblem({
          code: 'tenant_not_empty',
          status: 409,
          message: `The tenant still has ${children} subsidiaries, ${people} people and ${connections} connections; remove them first`,
        });
      }
    },
  },
});

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
