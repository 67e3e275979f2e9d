import { z } from 'zod';
import { TenantDomain } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';

/** A DNS name (RFC 1035 §2.3.1 labels), lower-cased, no trailing dot. */
const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    'must be a domain name such as example.com',
  );

export const DomainOut = z
  .object({ ...recordFields, tenantId: z.uuid(), domain: z.string(), includeSubdomains: z.boolean() })
  .meta({ id: 'Domain' });

/** Email domains that route sign-in to a tenant (home-realm discovery); one domain belongs to one tenant. */
export const domainRoutes = resourceRoutes({
  plural: 'domains',
  singular: 'domain',
  title: 'Domain',
  tag: 'Tenants',
  entity: TenantDomain,
  output: DomainOut,
  tenantOf: (domain) => domain.tenantId,
  tenantColumn: 'x.tenantId',
  present: (domain) => ({
    ...presentRecord(domain),
    tenantId: domain.tenantId,
    domain: domain.domain,
    includeSubdomains: domain.includeSubdomains,
  }),
  list: {
    sorts: {
      domain: { property: 'domain', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'domain',
    filters: { tenantId: z.uuid().optional() },
    applyFilters: (qb, query) => {
      if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
    },
  },
  create: {
    permission: 'tenants.update',
    body: z.strictObject({
      tenantId: z.uuid(),
      domain: DomainName,
      includeSubdomains: z.boolean().default(false),
    }),
    tenantOf: (body) => body.tenantId,
    build: (body) => ({
      tenantId: body.tenantId,
      domain: body.domain,
      includeSubdomains: body.includeSubdomains,
    }),
  },
  update: {
    permission: 'tenants.update',
    body: z.strictObject({ includeSubdomains: z.boolean().optional() }),
    apply: (domain, body) => {
      if (body.includeSubdomains !== undefined) domain.includeSubdomains = body.includeSubdomains;
    },
  },
  remove: { permission: 'tenants.update' },
});
