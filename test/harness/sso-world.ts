import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { DataSource } from 'typeorm';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { errorHandler, notFound } from '../../gateway/middleware/errors.js';
import { ssoRoutes, type SsoRouter } from '../../gateway/sso/sso-routes.js';
import type { SsoRuntime } from '../../sso/sso-runtime.js';

/**
 * Builds the data a sign-in test needs (tenants with email domains, people, roles granting apps) with plain SQL,
 * and runs the gateway's real SSO router on a free port. Nothing here stands in for Junction code.
 */
export interface RunningSsoGateway {
  url: string;
  runtime: SsoRuntime;
  router: SsoRouter;
  close(): Promise<void>;
}

export const testVault = (): Vault => new Vault(randomBytes(32));

/** The SSO router (the one `createApp` mounts) on its own Express app. `publicUrl` defaults to its own URL. */
export async function startSsoGateway(
  dataSource: DataSource,
  vault: Vault,
  options: { publicUrl?: string; logLevel?: string } = {},
): Promise<RunningSsoGateway> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const log = createLogger({
    level: options.logLevel ?? process.env.LOG_LEVEL ?? 'silent',
    name: 'sso-test',
  });
  const sso = ssoRoutes({ dataSource, vault, log, publicUrl: options.publicUrl ?? url });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(sso.router);
  app.use(notFound);
  app.use(errorHandler(log));
  server.on('request', app);
  const runtime = await sso.ready();
  return {
    url,
    runtime,
    router: sso,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function seedTenant(
  ds: DataSource,
  input: {
    slug: string;
    name?: string;
    parentId?: string | null;
    domains?: (string | { domain: string; includeSubdomains: boolean })[];
    settings?: Record<string, unknown>;
  },
): Promise<string> {
  const [tenant] = (await ds.query(
    `INSERT INTO tenants (slug, name, parent_id, settings, version) VALUES ($1, $2, $3, $4, 1) RETURNING id`,
    [input.slug, input.name ?? input.slug, input.parentId ?? null, JSON.stringify(input.settings ?? {})],
  )) as [{ id: string }];
  for (const d of input.domains ?? []) {
    const domain = typeof d === 'string' ? { domain: d, includeSubdomains: false } : d;
    await ds.query(
      `INSERT INTO tenant_domains (tenant_id, domain, include_subdomains, version) VALUES ($1, $2, $3, 1)`,
      [tenant.id, domain.domain, domain.includeSubdomains],
    );
  }
  return tenant.id;
}

export async function seedPerson(
  ds: DataSource,
  input: {
    tenantId: string;
    email: string;
    displayName?: string;
    employeeNumber?: string | null;
    status?: string;
    jobTitle?: string;
    rank?: string;
    department?: string;
    givenName?: string;
    familyName?: string;
  },
): Promise<string> {
  let departmentId: string | null = null;
  if (input.department) {
    const [dep] = (await ds.query(
      `INSERT INTO departments (tenant_id, name, version) VALUES ($1, $2, 1) RETURNING id`,
      [input.tenantId, input.department],
    )) as [{ id: string }];
    departmentId = dep.id;
  }
  const [person] = (await ds.query(
    `INSERT INTO people (tenant_id, email, display_name, given_name, family_name, employee_number, status, job_title,
                         rank, department_id, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`,
    [
      input.tenantId,
      input.email.toLowerCase(),
      input.displayName ?? input.email,
      input.givenName ?? null,
      input.familyName ?? null,
      input.employeeNumber ?? null,
      input.status ?? 'active',
      input.jobTitle ?? null,
      input.rank ?? null,
      departmentId,
    ],
  )) as [{ id: string }];
  return person.id;
}

/** A role granting sign-in to the app (plus optional role / group entitlements), assigned to the person. */
export async function grantApplication(
  ds: DataSource,
  input: {
    tenantId: string;
    personId: string;
    applicationId: string;
    roleKey: string;
    entitlements?: { kind: 'role' | 'group' | 'permission_set'; value: string }[];
  },
): Promise<{ roleId: string }> {
  const existing = (await ds.query(`SELECT id FROM roles WHERE tenant_id = $1 AND key = $2`, [
    input.tenantId,
    input.roleKey,
  ])) as {
    id: string;
  }[];
  let roleId = existing[0]?.id;
  if (!roleId) {
    const [role] = (await ds.query(
      `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, $2, $2, 1) RETURNING id`,
      [input.tenantId, input.roleKey],
    )) as [{ id: string }];
    roleId = role.id;
    await ds.query(
      `INSERT INTO entitlements (tenant_id, role_id, kind, application_id, value, version) VALUES ($1, $2, 'app_access', $3, '', 1)`,
      [input.tenantId, roleId, input.applicationId],
    );
    for (const e of input.entitlements ?? []) {
      await ds.query(
        `INSERT INTO entitlements (tenant_id, role_id, kind, application_id, value, version) VALUES ($1, $2, $3, $4, $5, 1)`,
        [input.tenantId, roleId, e.kind, input.applicationId, e.value],
      );
    }
  }
  await ds.query(
    `INSERT INTO role_assignments (tenant_id, role_id, person_id, source, reason, version)
     VALUES ($1, $2, $3, 'manual', 'test', 1) ON CONFLICT DO NOTHING`,
    [input.tenantId, roleId, input.personId],
  );
  return { roleId };
}

export async function auditRows(
  ds: DataSource,
  action: string,
): Promise<{ outcome: string; reason: string | null; actor_id: string | null; target_id: string | null }[]> {
  return (await ds.query(
    `SELECT outcome, reason, actor_id, target_id FROM audit_events WHERE action = $1 ORDER BY id`,
    [action],
  )) as { outcome: string; reason: string | null; actor_id: string | null; target_id: string | null }[];
}
