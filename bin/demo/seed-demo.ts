import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AdminGrant,
  AuditEvent,
  Connection,
  Entitlement,
  Person,
  Role,
  RoleRule,
  Tenant,
  TenantDomain,
} from '../../core/entities/index.js';
import { ValidationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Vault } from '../../core/vault/vault.js';
import { sealConnectionConfig } from '../../connectors/open-connector.js';
import { findConnector } from '../../connectors/registry.js';
import { createOidcApplication } from '../../sso/admin/applications.js';
import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createPasswordIdentity } from '../../sso/admin/local-accounts.js';
import { loadAccessContext, loadPersonViews } from '../../workers/access/access-context.js';
import { compileMappings } from '../../workers/access/attribute-mapping.js';
import { parseCondition } from '../../workers/access/rule-condition.js';
import { applyRoleRules } from '../../workers/access/role-rules.js';
import { applyConnectionSchedules } from '../../workers/schedules.js';
import { generateDemoPassword, writeDemoAdminFile } from './demo-admin-file.js';
import { demoConnectionConfig } from './demo-connection-config.js';
import {
  DEMO_ADMIN,
  DEMO_APP,
  DEMO_CONNECTIONS,
  DEMO_GROUP,
  DEMO_GROUP_SEEDING_SLUG,
  DEMO_ROLES,
  DEMO_SIMULATORS,
  DEMO_SUBSIDIARIES,
  type DemoSubsidiaryKey,
} from './demo-plan.js';
import type { RunningDemoSimulators } from './demo-simulators.js';

export interface DemoDeps {
  dataSource: DataSource;
  vault: Vault;
  temporal: { client: Client; taskQueue: string };
  log: Logger;
  publicUrl: string;
  dataDir: string;
}

export interface DemoConnectionRef {
  key: string;
  id: string;
  tenantId: string;
  direction: 'source' | 'target';
  name: string;
}

export interface SeededDemo {
  groupId: string;
  subsidiaries: Record<DemoSubsidiaryKey, string>;
  connections: DemoConnectionRef[];
  admin: { personId: string; login: string; password: string; file: string };
  application: { id: string; clientId: string };
}

/** The demo app's OIDC client id: fixed, so the demo app finds its registration after a restart. */
export const DEMO_APP_CLIENT_ID = 'junction-demo-app';

const ACTOR = { type: 'system', label: 'junction start (demo seed)' } as const;

/**
 * Seeds the demo into an empty database: the group and its two subsidiaries with their mail domains, one
 * connection per running simulator (config validated and secrets sealed by the connector's own schema), roles
 * with rules and entitlements, a password sign-in for the group with an administrator holding `group_admin`, the
 * demo app, and each connection's schedules. The caller has checked the database is empty (`inspectDemo`).
 *
 * The group is created under a provisional slug and renamed last, in the transaction that records the seed: a
 * start killed half-way leaves a recognisably unfinished demo that the next start removes and seeds again. A
 * failure that throws removes what was written at once.
 */
export async function seedDemo(
  deps: DemoDeps,
  simulators: RunningDemoSimulators,
  options: { demoAppUrl: string },
): Promise<SeededDemo> {
  const ds = deps.dataSource;
  const records = await ds.transaction((manager) => writeDirectoryAndAccessModel(manager, deps, simulators));
  try {
    const password = generateDemoPassword();
    const { id: providerId } = await createIdentityProvider(ds, deps.vault, {
      tenantId: records.groupId,
      kind: 'password',
      slug: 'password',
      name: `${DEMO_GROUP.name} sign-in`,
      config: { secondFactor: 'optional', domains: DEMO_GROUP.domains },
    });
    await createPasswordIdentity(ds, {
      providerId,
      personId: records.adminId,
      login: DEMO_ADMIN.email,
      password,
    });
    const app = await createOidcApplication(ds, deps.vault, {
      tenantId: records.groupId,
      slug: DEMO_APP.slug,
      name: DEMO_APP.name,
      clientId: DEMO_APP_CLIENT_ID,
      launchUrl: `${options.demoAppUrl}/`,
      // A public client (PKCE, no secret): nothing to keep across restarts but its id.
      oidc: {
        redirectUris: [`${options.demoAppUrl}/callback`],
        postLogoutRedirectUris: [`${options.demoAppUrl}/`],
        grantTypes: ['authorization_code'],
        public: true,
      },
    });
    await ds.transaction(async (manager) => {
      for (const role of DEMO_ROLES) {
        for (const grant of role.grants) {
          if (!('application' in grant)) continue;
          await insertEntitlement(manager, {
            tenantId: records.groupId,
            roleId: records.roleIds.get(role.key) ?? '',
            kind: grant.kind,
            applicationId: app.id,
            value: grant.value ?? '',
          });
        }
      }
    });
    // Rules run for the people a target covers; the administrator is in the group, which has no target, so the
    // engine's rule evaluation is applied to them here once.
    const ctx = await loadAccessContext(ds, records.groupId);
    const admin = await ds.getRepository(Person).findOneByOrFail({ id: records.adminId });
    await applyRoleRules(ds, ctx, await loadPersonViews(ds, ctx, [admin]));

    for (const connection of records.connections) {
      const plan = DEMO_CONNECTIONS.find((p) => p.key === connection.key);
      await applyConnectionSchedules(deps.temporal.client, deps.temporal.taskQueue, connection.id, {
        id: connection.id,
        direction: connection.direction,
        enabled: true,
        schedule: plan?.schedule ?? {},
      });
    }

    const file = writeDemoAdminFile(deps.dataDir, {
      signInUrl: `${deps.publicUrl}/console/`,
      login: DEMO_ADMIN.email,
      password,
    });

    await ds.transaction(async (manager) => {
      await manager
        .getRepository(Tenant)
        .update({ id: records.groupId }, { slug: DEMO_GROUP.slug, version: () => 'version + 1' });
      await manager.getRepository(AuditEvent).save(
        manager.getRepository(AuditEvent).create({
          tenantId: records.groupId,
          actorType: ACTOR.type,
          actorId: null,
          actorLabel: ACTOR.label,
          action: 'demo.seed',
          targetType: 'tenant',
          targetId: records.groupId,
          outcome: 'success',
          after: {
            tenants: [records.groupId, ...Object.values(records.subsidiaries)],
            connections: records.connections.map((c) => ({ key: c.key, id: c.id })),
            roles: [...records.roleIds.keys()],
            admin: DEMO_ADMIN.email,
            application: app.id,
            skippedSimulators: simulators.skipped.map((s) => s.key),
          },
        }),
      );
    });
    deps.log.info(
      { group: records.groupId, connections: records.connections.length },
      'demo seeded: a group with two subsidiaries',
    );
    return {
      groupId: records.groupId,
      subsidiaries: records.subsidiaries,
      connections: records.connections,
      admin: { personId: records.adminId, login: DEMO_ADMIN.email, password, file },
      application: { id: app.id, clientId: app.clientId },
    };
  } catch (error) {
    await removeDemoTenant(deps, records.groupId).catch((cleanupError: unknown) =>
      deps.log.error({ err: cleanupError }, 'could not remove the half-seeded demo'),
    );
    throw error;
  }
}

interface WrittenRecords {
  groupId: string;
  subsidiaries: Record<DemoSubsidiaryKey, string>;
  adminId: string;
  connections: DemoConnectionRef[];
  roleIds: Map<string, string>;
}

/** Everything that is plain rows, in one transaction: tenants, domains, the administrator, connections, roles. */
async function writeDirectoryAndAccessModel(
  manager: EntityManager,
  deps: DemoDeps,
  simulators: RunningDemoSimulators,
): Promise<WrittenRecords> {
  const tenants = manager.getRepository(Tenant);
  const group = await tenants.save(
    tenants.create({ parentId: null, slug: DEMO_GROUP_SEEDING_SLUG, name: DEMO_GROUP.name, settings: {} }),
  );
  await insertDomains(manager, group.id, DEMO_GROUP.domains);
  const subsidiaries = {} as Record<DemoSubsidiaryKey, string>;
  for (const [key, plan] of Object.entries(DEMO_SUBSIDIARIES) as [
    DemoSubsidiaryKey,
    (typeof DEMO_SUBSIDIARIES)[DemoSubsidiaryKey],
  ][]) {
    const tenant = await tenants.save(
      tenants.create({ parentId: group.id, slug: plan.slug, name: plan.name, settings: {} }),
    );
    await insertDomains(manager, tenant.id, plan.domains);
    subsidiaries[key] = tenant.id;
  }

  const people = manager.getRepository(Person);
  const admin = await people.save(
    people.create({
      tenantId: group.id,
      sourceConnectionId: null,
      externalId: null,
      employeeNumber: DEMO_ADMIN.employeeNumber,
      givenName: DEMO_ADMIN.givenName,
      familyName: DEMO_ADMIN.familyName,
      displayName: DEMO_ADMIN.displayName,
      email: DEMO_ADMIN.email,
      status: 'active',
    }),
  );
  await manager
    .getRepository(AdminGrant)
    .save(
      manager
        .getRepository(AdminGrant)
        .create({ personId: admin.id, tenantId: group.id, role: 'group_admin' }),
    );

  const connections: DemoConnectionRef[] = [];
  const repo = manager.getRepository(Connection);
  for (const plan of DEMO_CONNECTIONS) {
    const simulator = simulators.running[plan.simulator];
    if (!simulator) continue;
    const vendor = DEMO_SIMULATORS[plan.simulator].vendor;
    const definition = findConnector(vendor);
    if (!definition) throw new ValidationError(`the demo names connector ${vendor}, which this build lacks`);
    if (plan.mappings) compileMappings(plan.mappings);
    const id = randomUUID();
    const sealed = sealConnectionConfig(definition, demoConnectionConfig(simulator, plan), deps.vault, id);
    const tenantId = subsidiaries[plan.tenant];
    await repo.save(
      repo.create({
        id,
        tenantId,
        connectorId: definition.id,
        slug: plan.slug,
        name: plan.name,
        direction: plan.direction,
        config: sealed.config,
        secretsSealed: sealed.secretsSealed,
        schedule: plan.schedule,
        scopeFilter: null,
        mappings: plan.mappings ?? {},
        ownedAttributes: [],
        accountScope: 'entitled',
        enabled: true,
      }),
    );
    connections.push({ key: plan.key, id, tenantId, direction: plan.direction, name: plan.name });
  }

  const roleIds = new Map<string, string>();
  for (const plan of DEMO_ROLES) {
    const role = await manager
      .getRepository(Role)
      .save(
        manager
          .getRepository(Role)
          .create({ tenantId: group.id, key: plan.key, name: plan.name, description: plan.description }),
      );
    roleIds.set(plan.key, role.id);
    await manager.getRepository(RoleRule).save(
      manager.getRepository(RoleRule).create({
        tenantId: group.id,
        roleId: role.id,
        name: plan.rule.name,
        condition: parseCondition(plan.rule.condition) as unknown as Record<string, unknown>,
        includeSubsidiaries: true,
        enabled: true,
      }),
    );
    for (const grant of plan.grants) {
      if ('application' in grant) continue;
      // A grant in a connection whose simulator this machine cannot run (LDAP without slapd) is left out.
      const connection = connections.find((c) => c.key === grant.connection);
      if (!connection) continue;
      await insertEntitlement(manager, {
        tenantId: group.id,
        roleId: role.id,
        kind: grant.kind,
        connectionId: connection.id,
        value: grant.value ?? '',
      });
    }
  }
  return { groupId: group.id, subsidiaries, adminId: admin.id, connections, roleIds };
}

async function insertDomains(manager: EntityManager, tenantId: string, domains: string[]): Promise<void> {
  const repo = manager.getRepository(TenantDomain);
  for (const domain of domains) await repo.save(repo.create({ tenantId, domain, includeSubdomains: false }));
}

async function insertEntitlement(
  manager: EntityManager,
  input: {
    tenantId: string;
    roleId: string;
    kind: Entitlement['kind'];
    connectionId?: string;
    applicationId?: string;
    value: string;
  },
): Promise<void> {
  // The admin API's rule, kept here too: a scope names what it grants in the target; an account does not.
  if (input.kind !== 'account' && input.kind !== 'app_access' && input.value.trim() === '') {
    throw new ValidationError(`a ${input.kind} entitlement needs the target-side name`);
  }
  const repo = manager.getRepository(Entitlement);
  await repo.save(
    repo.create({
      tenantId: input.tenantId,
      roleId: input.roleId,
      kind: input.kind,
      connectionId: input.connectionId ?? null,
      applicationId: input.applicationId ?? null,
      value: input.value,
    }),
  );
}

/**
 * Removes a demo group and everything under it (rows cascade from the tenants) and its connections' Temporal
 * schedules, which would otherwise start runs for connections that no longer exist.
 */
export async function removeDemoTenant(deps: DemoDeps, groupId: string): Promise<void> {
  const ds = deps.dataSource;
  const connections = (await ds.query(
    `SELECT c.id FROM connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.id = $1 OR t.parent_id = $1`,
    [groupId],
  )) as { id: string }[];
  for (const { id } of connections) {
    await applyConnectionSchedules(deps.temporal.client, deps.temporal.taskQueue, id, null);
  }
  await ds.transaction(async (manager) => {
    await manager.query(`DELETE FROM tenants WHERE parent_id = $1`, [groupId]);
    await manager.query(`DELETE FROM tenants WHERE id = $1`, [groupId]);
  });
}
