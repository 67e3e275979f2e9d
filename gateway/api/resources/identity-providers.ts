import { z } from 'zod';
import { IdentityProvider } from '../../../core/entities/index.js';
import { createIdentityProvider, updateIdentityProvider } from '../../../sso/admin/identity-providers.js';
import { PROVIDER_SCHEMAS } from '../../../sso/upstream/provider-config.js';
import { recordAudit } from '../http/audit.js';
import { etagOf, ifMatchVersion, refuseStale } from '../http/concurrency.js';
import { findVisible, resourceRoutes } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute, type RouteContext } from '../http/route.js';
import { IdParams, MaskedSecret, Name, Slug } from '../http/schemas.js';
import { asApiProblem } from './core-errors.js';

const KINDS = ['oidc', 'saml', 'ldap', 'password'] as const;
type Kind = (typeof KINDS)[number];

export const IdentityProviderOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    kind: z.enum(KINDS),
    slug: z.string(),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    secrets: z.record(z.string(), MaskedSecret),
    linkBy: z.enum(['employee_number', 'verified_email']),
    linkClaim: z.string().nullable(),
    enabled: z.boolean(),
    priority: z.number().int(),
  })
  .meta({ id: 'IdentityProvider' });

function secretNames(kind: Kind): string[] {
  return Object.keys(PROVIDER_SCHEMAS[kind].secrets.shape);
}

function present(p: IdentityProvider, storedSecrets: string[]) {
  return {
    ...presentRecord(p),
    tenantId: p.tenantId,
    kind: p.kind,
    slug: p.slug,
    name: p.name,
    config: p.config,
    secrets: Object.fromEntries(secretNames(p.kind).map((n) => [n, { set: storedSecrets.includes(n) }])),
    linkBy: p.linkBy,
    linkClaim: p.linkClaim,
    enabled: p.enabled,
    priority: p.priority,
  };
}

function storedSecretNames(
  p: IdentityProvider,
  ctx: { deps: RouteContext<unknown, unknown, unknown>['deps'] },
): string[] {
  if (!p.secretsSealed) return [];
  try {
    return Object.keys(
      ctx.deps.vault.openJson<Record<string, unknown>>(p.secretsSealed, `identity-provider:${p.id}`),
    );
  } catch {
    return secretNames(p.kind);
  }
}

const common = {
  tenantId: z.uuid(),
  slug: Slug,
  name: Name,
  linkBy: z
    .enum(['employee_number', 'verified_email'])
    .default('verified_email')
    .describe('How an upstream identity is matched to an HR person; never an unverified email'),
  linkClaim: z
    .string()
    .min(1)
    .max(200)
    .nullable()
    .default(null)
    .describe('The claim carrying the employee number'),
  priority: z.number().int().min(0).max(10_000).default(100),
  enabled: z.boolean().default(true),
};

const IdentityProviderCreate = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('oidc'),
    ...common,
    config: PROVIDER_SCHEMAS.oidc.config,
    secrets: PROVIDER_SCHEMAS.oidc.secrets,
  }),
  z.strictObject({
    kind: z.literal('saml'),
    ...common,
    config: PROVIDER_SCHEMAS.saml.config,
    secrets: PROVIDER_SCHEMAS.saml.secrets.default({}),
  }),
  z.strictObject({
    kind: z.literal('ldap'),
    ...common,
    config: PROVIDER_SCHEMAS.ldap.config,
    secrets: PROVIDER_SCHEMAS.ldap.secrets.default({}),
  }),
  z.strictObject({
    kind: z.literal('password'),
    ...common,
    config: PROVIDER_SCHEMAS.password.config.prefault({}),
  }),
]);

const IdentityProviderUpdate = z.strictObject({
  name: Name.optional(),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Replaces the settings (validated for the kind)'),
  secrets: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Replaces the secret settings; leave out to keep the stored ones'),
  linkBy: z.enum(['employee_number', 'verified_email']).optional(),
  linkClaim: z.string().min(1).max(200).nullable().optional(),
  priority: z.number().int().min(0).max(10_000).optional(),
  enabled: z.boolean().optional(),
});

const spec = {
  entity: IdentityProvider,
  tenantOf: (p: IdentityProvider) => p.tenantId,
  title: 'Identity provider',
};

async function audit(
  ctx: RouteContext<unknown, unknown, unknown>,
  action: string,
  provider: IdentityProvider,
  before: unknown,
  after: unknown,
) {
  await recordAudit(ctx.deps.dataSource.manager, {
    actor: ctx.principal.actor,
    tenantId: provider.tenantId,
    action,
    targetType: 'identity_provider',
    targetId: provider.id,
    before,
    after,
    ip: ctx.ip,
    userAgent: ctx.req.header('user-agent') ?? null,
  });
}

/**
 * Identity providers: a subsidiary's own sign-in (OIDC, SAML, LDAP) or Junction's password. Created and changed
 * through the SSO module's admin functions, which validate per kind and seal secrets as `identity-provider:<id>`.
 */
export const identityProviderRoutes = [
  ...resourceRoutes({
    plural: 'identity-providers',
    singular: 'identity provider',
    title: 'Identity provider',
    tag: 'Sign-in',
    entity: IdentityProvider,
    output: IdentityProviderOut,
    auditType: 'identity_provider',
    tenantOf: (p) => p.tenantId,
    tenantColumn: 'x.tenantId',
    present: (p, ctx) => present(p, storedSecretNames(p, ctx)),
    list: {
      sorts: {
        priority: { property: 'priority', cast: 'integer' },
        name: { property: 'name', cast: 'text' },
      },
      defaultSort: 'priority',
      filters: { tenantId: z.uuid().optional(), kind: z.enum(KINDS).optional() },
      applyFilters: (qb, query) => {
        if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
        if (query.kind) qb.andWhere('x.kind = :kind', { kind: query.kind });
      },
    },
    remove: { permission: 'sso.write' },
  }),
  defineRoute({
    method: 'post',
    path: '/identity-providers',
    operationId: 'createIdentityProvider',
    summary: 'Add an identity provider to a tenant (secrets are write-only)',
    tag: 'Sign-in',
    permission: 'sso.write',
    body: IdentityProviderCreate,
    responses: { 201: { description: 'Created', schema: IdentityProviderOut, etag: true } },
    handle: async (ctx) => {
      ctx.principal.assertCan('sso.write', ctx.body.tenantId, 'Tenant');
      const body = ctx.body;
      const { id } = await asApiProblem('body', () =>
        createIdentityProvider(ctx.deps.dataSource, ctx.deps.vault, {
          tenantId: body.tenantId,
          kind: body.kind,
          slug: body.slug,
          name: body.name,
          config: body.config,
          secrets: 'secrets' in body ? body.secrets : {},
          linkBy: body.linkBy,
          linkClaim: body.linkClaim,
          priority: body.priority,
          enabled: body.enabled,
        }),
      );
      const provider = await ctx.deps.dataSource.getRepository(IdentityProvider).findOneByOrFail({ id });
      const after = present(provider, storedSecretNames(provider, ctx));
      await audit(ctx, 'identity_provider.create', provider, undefined, after);
      return {
        status: 201,
        body: after,
        headers: { ETag: etagOf(provider.version), Location: `${ctx.req.baseUrl}/identity-providers/${id}` },
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/identity-providers/{id}',
    operationId: 'updateIdentityProvider',
    summary: 'Change an identity provider (secrets left out are kept)',
    tag: 'Sign-in',
    permission: 'sso.write',
    params: IdParams,
    ifMatch: true,
    body: IdentityProviderUpdate,
    responses: { 200: { description: 'Updated', schema: IdentityProviderOut, etag: true } },
    handle: async (ctx) => {
      const repo = ctx.deps.dataSource.getRepository(IdentityProvider);
      const provider = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('sso.write', provider.tenantId, 'Identity provider');
      const expectedVersion = ifMatchVersion(ctx.req, provider.version);
      const before = present(provider, storedSecretNames(provider, ctx));
      const body = ctx.body;
      await asApiProblem('body', () =>
        refuseStale(() =>
          updateIdentityProvider(ctx.deps.dataSource, ctx.deps.vault, provider.id, {
            ...(body.config !== undefined ? { config: body.config } : {}),
            ...(body.secrets !== undefined ? { secrets: body.secrets } : {}),
            ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.priority !== undefined ? { priority: body.priority } : {}),
            ...(body.linkBy !== undefined ? { linkBy: body.linkBy } : {}),
            ...(body.linkClaim !== undefined ? { linkClaim: body.linkClaim } : {}),
            ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          }),
        ),
      );
      const fresh = await repo.findOneByOrFail({ id: provider.id });
      const after = present(fresh, storedSecretNames(fresh, ctx));
      await audit(ctx, 'identity_provider.update', fresh, before, after);
      return { status: 200, body: after, headers: { ETag: etagOf(fresh.version) } };
    },
  }),
];
