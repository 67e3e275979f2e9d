import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { Person } from '../../../core/entities/index.js';
import { endSessionsForPerson } from '../../../sso/sessions/end-sessions-for-person.js';
import { provisionPersonNow } from '../../../workers/client.js';
import { issueInvitation } from './invitations.js';
import { findVisible } from '../http/crud.js';
import { problems } from '../http/problem.js';
import { defineRoute } from '../http/route.js';
import { IdParams, Timestamp } from '../http/schemas.js';
import { auditAction, requester } from './action-audit.js';
import { temporalCall } from './temporal-call.js';

const spec = { entity: Person, tenantOf: (p: Person) => p.tenantId, title: 'Person' };

const Because = z.object({
  roleId: z.uuid(),
  roleKey: z.string(),
  via: z.enum(['rule', 'manual']),
  ruleId: z.uuid().nullable(),
  ruleName: z.string().nullable(),
  reason: z.string().nullable(),
  entitlement: z.object({ kind: z.string(), value: z.string() }),
});

export const PersonAccessOut = z
  .object({
    roles: z.array(
      z.object({
        roleId: z.uuid(),
        key: z.string(),
        name: z.string(),
        via: z.enum(['rule', 'manual']),
        ruleId: z.uuid().nullable(),
        ruleName: z.string().nullable(),
        reason: z.string().nullable(),
        expiresAt: Timestamp.nullable(),
      }),
    ),
    accounts: z.array(
      z.object({
        accountId: z.uuid(),
        connectionId: z.uuid(),
        connectionName: z.string(),
        connectorId: z.string(),
        externalId: z.string().nullable(),
        status: z.string(),
        lastSyncedAt: Timestamp.nullable(),
        everyoneInScope: z.boolean().describe('The connection gives everyone in its scope an account'),
        because: z.array(Because).describe('The roles and entitlements that grant this account'),
      }),
    ),
    applications: z.array(
      z.object({
        applicationId: z.uuid(),
        name: z.string(),
        openToAll: z.boolean(),
        because: z.array(Because),
      }),
    ),
  })
  .meta({ id: 'PersonAccess' });

/** Why a person has each account and app: role assignment (rule or manual) → role → entitlement. */
async function explainAccess(ds: DataSource, personId: string): Promise<z.infer<typeof PersonAccessOut>> {
  const roles = (await ds.query(
    `SELECT ra.role_id, r.key, r.name, ra.source, ra.rule_id, rr.name AS rule_name, ra.reason, ra.expires_at
       FROM role_assignments ra JOIN roles r ON r.id = ra.role_id LEFT JOIN role_rules rr ON rr.id = ra.rule_id
      WHERE ra.person_id = $1 AND (ra.expires_at IS NULL OR ra.expires_at > now()) ORDER BY r.key, ra.source`,
    [personId],
  )) as {
    role_id: string;
    key: string;
    name: string;
    source: 'rule' | 'manual';
    rule_id: string | null;
    rule_name: string | null;
    reason: string | null;
    expires_at: Date | null;
  }[];
  const roleIds = [...new Set(roles.map((r) => r.role_id))];
  const entitlements = roleIds.length
    ? ((await ds.query(
        `SELECT role_id, kind, connection_id, application_id, value FROM entitlements WHERE role_id = ANY($1)`,
        [roleIds],
      )) as {
        role_id: string;
        kind: string;
        connection_id: string | null;
        application_id: string | null;
        value: string;
      }[])
    : [];
  const because = (filter: (e: (typeof entitlements)[number]) => boolean) =>
    entitlements.filter(filter).flatMap((e) =>
      roles
        .filter((r) => r.role_id === e.role_id)
        .map((r) => ({
          roleId: r.role_id,
          roleKey: r.key,
          via: r.source,
          ruleId: r.rule_id,
          ruleName: r.rule_name,
          reason: r.reason,
          entitlement: { kind: e.kind, value: e.value },
        })),
    );
  const accounts = (await ds.query(
    `SELECT a.id, a.connection_id, c.name, c.connector_id, c.account_scope, a.external_id, a.status, a.last_synced_at
       FROM accounts a JOIN connections c ON c.id = a.connection_id WHERE a.person_id = $1 ORDER BY c.name`,
    [personId],
  )) as {
    id: string;
    connection_id: string;
    name: string;
    connector_id: string;
    account_scope: string;
    external_id: string | null;
    status: string;
    last_synced_at: Date | null;
  }[];
  const appIds = [
    ...new Set(
      entitlements
        .filter((e) => e.kind === 'app_access' && e.application_id)
        .map((e) => e.application_id as string),
    ),
  ];
  const person = (await ds.query('SELECT tenant_id FROM people WHERE id = $1', [personId])) as {
    tenant_id: string;
  }[];
  const apps = (await ds.query(
    `SELECT id, name, open_to_all FROM applications WHERE enabled AND (id = ANY($1) OR (open_to_all AND tenant_id = $2)) ORDER BY name`,
    [appIds, person[0]?.tenant_id ?? null],
  )) as { id: string; name: string; open_to_all: boolean }[];
  return {
    roles: roles.map((r) => ({
      roleId: r.role_id,
      key: r.key,
      name: r.name,
      via: r.source,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      reason: r.reason,
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
    })),
    accounts: accounts.map((a) => ({
      accountId: a.id,
      connectionId: a.connection_id,
      connectionName: a.name,
      connectorId: a.connector_id,
      externalId: a.external_id,
      status: a.status,
      lastSyncedAt: a.last_synced_at ? new Date(a.last_synced_at).toISOString() : null,
      everyoneInScope: a.account_scope === 'all',
      because: because((e) => e.connection_id === a.connection_id),
    })),
    applications: apps.map((app) => ({
      applicationId: app.id,
      name: app.name,
      openToAll: app.open_to_all,
      because: because((e) => e.application_id === app.id),
    })),
  };
}

export const personActionRoutes = [
  defineRoute({
    method: 'get',
    path: '/people/{id}/access',
    operationId: 'explainPersonAccess',
    summary: 'A person’s accounts across systems and apps, and why they have each one',
    tag: 'Directory',
    permission: 'read',
    params: IdParams,
    responses: {
      200: { description: 'Roles, accounts, applications with their reasons', schema: PersonAccessOut },
    },
    handle: async (ctx) => {
      const person = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      return { status: 200, body: await explainAccess(ctx.deps.dataSource, person.id) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/people/{id}/provision',
    operationId: 'provisionPerson',
    summary: 'Provision one person to every target now (or plan it, with dryRun)',
    tag: 'Directory',
    permission: 'connections.operate',
    params: IdParams,
    body: z.strictObject({ dryRun: z.boolean().default(false) }),
    responses: {
      202: {
        description: 'Started',
        schema: z.object({ workflowId: z.string() }).meta({ id: 'StartedPersonRun' }),
      },
    },
    handle: async (ctx) => {
      const person = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('connections.operate', person.tenantId, 'Person');
      if (person.status === 'pending') {
        throw problems.unprocessable('person_pending', 'The person is pending an admin’s confirmation');
      }
      const started = await temporalCall(ctx.deps.log, 'start provisioning', () =>
        provisionPersonNow(ctx.deps.temporal.client, ctx.deps.temporal.taskQueue, person.id, {
          trigger: 'api',
          requestedBy: requester(ctx),
          dryRun: ctx.body.dryRun,
        }),
      );
      await auditAction(ctx, {
        tenantId: person.tenantId,
        action: ctx.body.dryRun ? 'person.provision_dry_run' : 'person.provision',
        targetType: 'person',
        targetId: person.id,
        after: { workflowId: started.workflowId },
      });
      return { status: 202, body: { workflowId: started.workflowId } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/people/{id}/revoke-sessions',
    operationId: 'revokePersonSessions',
    summary:
      'End all of a person’s sign-ins: gateway sessions, OIDC sessions, grants and refresh tokens (apps told)',
    tag: 'Directory',
    permission: 'people.sessions',
    params: IdParams,
    body: z.strictObject({ reason: z.string().max(500).optional() }),
    responses: {
      200: {
        description: 'What was ended',
        schema: z
          .object({
            ssoSessions: z.number().int(),
            oidcRows: z.number().int(),
            backchannelDelivered: z.number().int(),
            backchannelFailed: z.array(z.object({ clientId: z.string(), error: z.string() })),
          })
          .meta({ id: 'EndedSessions' }),
      },
    },
    handle: async (ctx) => {
      const person = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('people.sessions', person.tenantId, 'Person');
      const ended = await endSessionsForPerson(ctx.deps, person.id, {
        reason: ctx.body.reason ?? `revoked by ${requester(ctx)}`,
        actor: { type: 'admin', id: ctx.principal.actor.id },
      });
      await auditAction(ctx, {
        tenantId: person.tenantId,
        action: 'person.revoke_sessions',
        targetType: 'person',
        targetId: person.id,
        reason: ctx.body.reason ?? null,
        after: { ssoSessions: ended.ssoSessions, oidcRows: ended.oidcRows },
      });
      return { status: 200, body: ended };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/people/{id}/invitation',
    operationId: 'resendInvitation',
    summary: 'Send (again) a single-use sign-in invitation; the previous link stops working',
    description:
      'At a password provider the link lets the person set their password (their login is created if needed); at a ' +
      'federated provider it starts sign-in with their email as login hint. Pending people are confirmed first, ' +
      'leavers are never invited. The link is returned once for the admin to hand over.',
    tag: 'Directory',
    permission: 'people.sessions',
    params: IdParams,
    body: z.strictObject({
      providerId: z
        .uuid()
        .optional()
        .describe('Invite to this provider; else the one they use, else the nearest'),
      expiresInHours: z.number().int().min(1).max(720).default(168),
    }),
    responses: {
      200: {
        description: 'The new invitation (shown once)',
        schema: z
          .object({
            url: z.string(),
            expiresAt: Timestamp,
            purpose: z.enum(['set_password', 'sign_in']),
            provider: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
            delivery: z.literal('manual'),
          })
          .meta({ id: 'Invitation' }),
      },
    },
    handle: async (ctx) => {
      const person = await findVisible(ctx.deps.dataSource.manager, spec, ctx.params.id, ctx.principal);
      ctx.principal.assertCan('people.sessions', person.tenantId, 'Person');
      const invitation = await issueInvitation(ctx.deps.dataSource, {
        person,
        tree: ctx.principal.tree,
        ...(ctx.body.providerId ? { providerId: ctx.body.providerId } : {}),
        ttlHours: ctx.body.expiresInHours,
        issuedBy: requester(ctx),
        publicUrl: ctx.deps.publicUrl,
      });
      await auditAction(ctx, {
        tenantId: person.tenantId,
        action: 'person.invitation_sent',
        targetType: 'person',
        targetId: person.id,
        after: {
          purpose: invitation.purpose,
          providerId: invitation.provider.id,
          expiresAt: invitation.expiresAt,
        },
      });
      return { status: 200, body: { ...invitation, delivery: 'manual' as const } };
    },
  }),
];
