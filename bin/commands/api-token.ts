import { userInfo } from 'node:os';
import type { Repository } from 'typeorm';
import { loadConfig } from '../../core/config.js';
import { createDataSource, initialiseDataSource } from '../../core/db/data-source.js';
import { ApiToken, AuditEvent, Tenant } from '../../core/entities/index.js';
import type { AdminRole } from '../../core/entities/admin-grant.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { ADMIN_ROLES } from '../../gateway/api/auth/permissions.js';
import { mintToken } from '../../gateway/api/auth/token-secret.js';
import { databaseUrl } from './sync.js';

export interface ApiTokenCreateOptions {
  tenant: string;
  role: string;
  name: string;
  createTenant?: string;
  expiresInDays?: number;
}

/**
 * `junction api-token create`: the first admin API token of a fresh installation (the API can mint the rest). With
 * `--create-tenant "<name>"` it also creates the group tenant when no tenant has that slug. Prints the token once.
 */
export async function apiTokenCreateCommand(options: ApiTokenCreateOptions): Promise<number> {
  if (!(ADMIN_ROLES as readonly string[]).includes(options.role)) {
    throw new ValidationError(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
  }
  if (options.expiresInDays !== undefined && !(options.expiresInDays > 0)) {
    throw new ValidationError('--expires-in-days must be a positive number');
  }
  const config = loadConfig();
  const ds = await initialiseDataSource(
    createDataSource({ url: databaseUrl(config), poolSize: 1, applicationName: 'junction-api-token' }),
  );
  const actor = `cli:${safeUser()}`;
  try {
    const token = await ds.transaction(async (manager) => {
      const tenants = manager.getRepository(Tenant);
      let tenant = await tenants.findOne({ where: { slug: options.tenant } });
      if (!tenant && options.createTenant) {
        if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(options.tenant)) {
          throw new ValidationError('--tenant must be lower-case letters, digits and inner hyphens');
        }
        tenant = await tenants.save(
          tenants.create({ slug: options.tenant, name: options.createTenant, parentId: null, settings: {} }),
        );
        await audit(
          manager.getRepository(AuditEvent),
          actor,
          tenant.id,
          'tenant.create',
          'tenant',
          tenant.id,
        );
      }
      if (!tenant) {
        throw new NotFoundError(
          `tenant "${options.tenant}" (add --create-tenant "<name>" to create the group tenant)`,
        );
      }
      const minted = mintToken('admin');
      const repo = manager.getRepository(ApiToken);
      const row = await repo.save(
        repo.create({
          tenantId: tenant.id,
          name: options.name,
          tokenHash: minted.hash,
          prefix: minted.prefix,
          kind: 'admin',
          role: options.role as AdminRole,
          scopes: [],
          connectionId: null,
          createdBy: actor,
          expiresAt: options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 86_400_000) : null,
        }),
      );
      await audit(
        manager.getRepository(AuditEvent),
        actor,
        tenant.id,
        'api_token.create',
        'api_token',
        row.id,
      );
      return minted.token;
    });
    process.stdout.write(
      `${token}\n\nThe ${options.role} token for ${options.tenant}; it is shown once. Use it as\n` +
        `  Authorization: Bearer ${token.slice(0, 12)}…\nagainst ${config.publicUrl}/api/v1 (see /api/v1/openapi.json).\n`,
    );
    return 0;
  } finally {
    await ds.destroy();
  }
}

async function audit(
  repo: Repository<AuditEvent>,
  actor: string,
  tenantId: string,
  action: string,
  targetType: string,
  targetId: string,
): Promise<void> {
  await repo.save(
    repo.create({
      tenantId,
      actorType: 'system',
      actorId: actor,
      actorLabel: actor,
      action,
      targetType,
      targetId,
      outcome: 'success',
    }),
  );
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
