import { z } from 'zod';
import { Application } from '../../../core/entities/index.js';
import { parseOidcClientSettings, parseSamlSpSettings } from '../../../sso/admin/application-settings.js';
import {
  createOidcApplication,
  createSamlApplication,
  rotateClientSecret,
} from '../../../sso/admin/applications.js';
import { recordAudit } from '../http/audit.js';
import { etagOf } from '../http/concurrency.js';
import { findVisible, resourceRoutes } from '../http/crud.js';
import { validationProblem } from '../http/problem.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute, type RouteContext } from '../http/route.js';
import { IdParams, Name, Slug } from '../http/schemas.js';
import { asApiProblem } from './core-errors.js';

const Url = z.url().max(2048);
const OidcSettings = z
  .object({
    redirectUris: z.array(z.string().max(2048)).min(1),
    postLogoutRedirectUris: z.array(z.string().max(2048)).optional(),
    grantTypes: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
      .min(1)
      .optional(),
    public: z.boolean().optional().describe('SPAs and native apps: no secret, PKCE required'),
    backchannelLogoutUri: z.string().max(2048).optional(),
    tokenEndpointAuthMethod: z
      .enum(['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])
      .optional(),
    scopes: z.array(z.string().min(1).max(100)).optional(),
  })
  .meta({ id: 'OidcClientSettings' });
const SamlSettings = z
  .object({
    entityId: z.string().min(1).max(512),
    acsUrl: z.string().max(2048),
    sloUrl: z.string().max(2048).optional(),
    certificate: z.string().max(20_000).optional(),
    nameIdFormat: z.string().min(1).max(200).optional(),
    signAssertions: z.boolean().optional(),
    signResponses: z.boolean().optional(),
    encryptAssertions: z.boolean().optional(),
    wantAuthnRequestsSigned: z.boolean().optional(),
    allowIdpInitiated: z.boolean().optional(),
    relayStateUrls: z.array(z.string().max(2048)).optional(),
  })
  .meta({ id: 'SamlSpSettings' });

export const ApplicationOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    slug: z.string(),
    name: z.string(),
    protocol: z.enum(['oidc', 'saml']),
    clientId: z.string().describe('OIDC client_id, or the SAML SP entity id'),
    clientSecret: z.object({ set: z.boolean() }).describe('Write-only: shown once at creation or rotation'),
    oidc: z.record(z.string(), z.unknown()).nullable(),
    saml: z.record(z.string(), z.unknown()).nullable(),
    claimMappings: z.record(z.string(), z.string()),
    launchUrl: z.string().nullable(),
    iconUrl: z.string().nullable(),
    openToAll: z.boolean(),
    enabled: z.boolean(),
  })
  .meta({ id: 'Application' });

function present(a: Application) {
  return {
    ...presentRecord(a),
    tenantId: a.tenantId,
    slug: a.slug,
    name: a.name,
    protocol: a.protocol,
    clientId: a.clientId,
    clientSecret: { set: a.clientSecretSealed !== null },
    oidc: a.oidc as Record<string, unknown> | null,
    saml: a.saml as Record<string, unknown> | null,
    claimMappings: a.claimMappings,
    launchUrl: a.launchUrl,
    iconUrl: a.iconUrl,
    openToAll: a.openToAll,
    enabled: a.enabled,
  };
}

const common = {
  tenantId: z.uuid(),
  slug: Slug,
  name: Name,
  claimMappings: z.record(z.string().min(1).max(100), z.string().min(1).max(200)).default({}),
  launchUrl: Url.nullable().default(null),
  iconUrl: Url.nullable().default(null),
  openToAll: z
    .boolean()
    .default(false)
    .describe('Everyone in the tenant may sign in; otherwise app_access entitlements'),
};

const ApplicationCreate = z.discriminatedUnion('protocol', [
  z.strictObject({ protocol: z.literal('oidc'), ...common, oidc: OidcSettings }),
  z.strictObject({ protocol: z.literal('saml'), ...common, saml: SamlSettings }),
]);

const spec = { entity: Application, tenantOf: (a: Application) => a.tenantId, title: 'Application' };

async function audit(
  ctx: RouteContext<unknown, unknown, unknown>,
  action: string,
  app: Application,
  before: unknown,
  after: unknown,
) {
  await recordAudit(ctx.deps.dataSource.manager, {
    actor: ctx.principal.actor,
    tenantId: app.tenantId,
    action,
    targetType: 'application',
    targetId: app.id,
    before,
    after,
    ip: ctx.ip,
    userAgent: ctx.req.header('user-agent') ?? null,
  });
}

/**
 * Applications that sign in through Junction: OIDC clients (confidential ones get a generated secret, sealed with
 * the vault and shown once) and SAML service providers. Created through the SSO module's admin functions.
 */
export const applicationRoutes = [
  ...resourceRoutes({
    plural: 'applications',
    singular: 'application',
    title: 'Application',
    tag: 'Sign-in',
    entity: Application,
    output: ApplicationOut,
    tenantOf: (a) => a.tenantId,
    tenantColumn: 'x.tenantId',
    present,
    list: {
      sorts: {
        name: { property: 'name', cast: 'text' },
        createdAt: { property: 'createdAt', cast: 'timestamptz' },
      },
      defaultSort: 'name',
      filters: { tenantId: z.uuid().optional(), protocol: z.enum(['oidc', 'saml']).optional() },
      applyFilters: (qb, query) => {
        if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
        if (query.protocol) qb.andWhere('x.protocol = :protocol', { protocol: query.protocol });
      },
    },
    update: {
      permission: 'sso.write',
      body: z.strictObject({
        name: Name.optional(),
        oidc: OidcSettings.optional(),
        saml: SamlSettings.optional(),
        claimMappings: z.record(z.string().min(1).max(100), z.string().min(1).max(200)).optional(),
        launchUrl: Url.nullable().optional(),
        iconUrl: Url.nullable().optional(),
        openToAll: z.boolean().optional(),
        enabled: z.boolean().optional(),
      }),
      apply: async (app, body) => {
        if (body.oidc !== undefined) {
          const oidc = body.oidc;
          if (app.protocol !== 'oidc')
            await asApiProblem('body', () => Promise.reject(new TypeError('oidc')));
          app.oidc = await asApiProblem('body', () => Promise.resolve(parseOidcClientSettings(oidc)));
        }
        if (body.saml !== undefined) {
          const saml = body.saml;
          if (app.protocol !== 'saml') {
            throw validationProblem('saml: this is an OIDC application', [
              { pointer: 'body.saml', message: 'not a SAML application', code: 'invalid_value' },
            ]);
          }
          app.saml = await asApiProblem('body', () => Promise.resolve(parseSamlSpSettings(saml)));
        }
        if (body.name !== undefined) app.name = body.name;
        if (body.claimMappings !== undefined) app.claimMappings = body.claimMappings;
        if (body.launchUrl !== undefined) app.launchUrl = body.launchUrl;
        if (body.iconUrl !== undefined) app.iconUrl = body.iconUrl;
        if (body.openToAll !== undefined) app.openToAll = body.openToAll;
        if (body.enabled !== undefined) app.enabled = body.enabled;
      },
    },
    remove: { permission: 'sso.write' },
  }),
  defineRoute({
    method: 'post',
    path: '/applications',
    operationId: 'createApplication',
    summary: 'Register an OIDC client or a SAML service provider (a generated client secret is shown once)',
    tag: 'Sign-in',
    permission: 'sso.write',
    body: ApplicationCreate,
    responses: {
      201: {
        description: 'Created',
        schema: z.intersection(
          ApplicationOut,
          z.object({ clientSecretValue: z.string().nullable().optional() }),
        ),
        etag: true,
      },
    },
    handle: async (ctx) => {
      const body = ctx.body;
      ctx.principal.assertCan('sso.write', body.tenantId, 'Tenant');
      const base = {
        tenantId: body.tenantId,
        slug: body.slug,
        name: body.name,
        claimMappings: body.claimMappings,
        launchUrl: body.launchUrl,
        iconUrl: body.iconUrl,
        openToAll: body.openToAll,
      };
      let id: string;
      let clientSecret: string | null = null;
      if (body.protocol === 'oidc') {
        const made = await asApiProblem('body', () =>
          createOidcApplication(ctx.deps.dataSource, ctx.deps.vault, { ...base, oidc: body.oidc }),
        );
        id = made.id;
        clientSecret = made.clientSecret;
      } else {
        id = (
          await asApiProblem('body', () =>
            createSamlApplication(ctx.deps.dataSource, { ...base, saml: body.saml }),
          )
        ).id;
      }
      const app = await ctx.deps.dataSource.getRepository(Application).findOneByOrFail({ id });
      const after = present(app);
      await audit(ctx, 'application.create', app, undefined, after);
      return {
        status: 201,
        body: { ...after, ...(clientSecret ? { clientSecretValue: clientSecret } : {}) },
        headers: { ETag: etagOf(app.version), Location: `${ctx.req.baseUrl}/applications/${id}` },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/applications/{id}/rotate-secret',
    operationId: 'rotateApplicationSecret',
    summary: 'Issue a new client secret (the old one stops working at once); shown once',
    tag: 'Sign-in',
    permission: 'sso.write',
    params: IdParams,
    responses: {
      200: { description: 'The new secret', schema: z.object({ clientSecretValue: z.string() }) },
    },
    handle: async (ctx) => {
      const app = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('sso.write', app.tenantId, 'Application');
      const secret = await asApiProblem('body', () =>
        rotateClientSecret(ctx.deps.dataSource, ctx.deps.vault, app.id),
      );
      const fresh = await ctx.deps.dataSource.getRepository(Application).findOneByOrFail({ id: app.id });
      await audit(ctx, 'application.rotate_secret', fresh, present(app), present(fresh));
      return { status: 200, body: { clientSecretValue: secret } };
    },
  }),
];
