import * as client from 'openid-client';
import type { DataSource } from 'typeorm';
import { Application } from '../../core/entities/index.js';
import type { Vault } from '../../core/vault/vault.js';
import { createOidcApplication } from '../../sso/admin/applications.js';
import { clientSecretContext } from '../../sso/provider/oidc/client-metadata.js';
import { OIDC_MOUNT_PATH } from '../../sso/provider/oidc/create-oidc-provider.js';

/**
 * The console signs admins in as an ordinary OIDC client of Junction's own OpenID Provider (authorization code +
 * PKCE), registered on first use as the application `junction-console` of the group tenant, open to everyone
 * there: who may do what is then decided by admin grants, not by the sign-in.
 */
export const CONSOLE_CLIENT_ID = 'junction-console';
export const CALLBACK_PATH = '/console/callback';

export class ConsoleNotReady extends Error {}

export interface ConsoleClientDeps {
  dataSource: DataSource;
  vault: Vault;
  publicUrl: string;
}

/** Finds or registers the console's client; keeps its redirect URIs on the current PUBLIC_URL. */
export async function ensureConsoleApplication(deps: ConsoleClientDeps): Promise<Application> {
  const repo = deps.dataSource.getRepository(Application);
  const redirectUri = `${deps.publicUrl}${CALLBACK_PATH}`;
  const postLogout = `${deps.publicUrl}/console/`;
  let app = await repo.findOne({ where: { clientId: CONSOLE_CLIENT_ID } });
  if (!app) {
    const roots = (await deps.dataSource.query(
      'SELECT id FROM tenants WHERE parent_id IS NULL ORDER BY created_at LIMIT 1',
    )) as { id: string }[];
    if (!roots[0]) throw new ConsoleNotReady('Junction has no tenant yet');
    try {
      await createOidcApplication(deps.dataSource, deps.vault, {
        tenantId: roots[0].id,
        slug: 'junction-console',
        name: 'Junction console',
        clientId: CONSOLE_CLIENT_ID,
        openToAll: true,
        oidc: {
          redirectUris: [redirectUri],
          postLogoutRedirectUris: [postLogout],
          grantTypes: ['authorization_code'],
        },
      });
    } catch (error) {
      // Another replica registered it at the same moment.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
    app = await repo.findOneOrFail({ where: { clientId: CONSOLE_CLIENT_ID } });
  }
  if (app.oidc && !app.oidc.redirectUris.includes(redirectUri)) {
    app.oidc = { ...app.oidc, redirectUris: [redirectUri], postLogoutRedirectUris: [postLogout] };
    await repo.save(app);
  }
  return app;
}

interface Cached {
  config: client.Configuration;
  at: number;
}
let cached: Cached | undefined;
const CACHE_MS = 10 * 60_000;

/** The provider's metadata and the console's credentials, discovered from PUBLIC_URL (cached for ten minutes). */
export async function consoleOidcConfig(deps: ConsoleClientDeps): Promise<client.Configuration> {
  if (
    cached &&
    Date.now() - cached.at < CACHE_MS &&
    cached.config.serverMetadata().issuer.startsWith(deps.publicUrl)
  ) {
    return cached.config;
  }
  const app = await ensureConsoleApplication(deps);
  if (!app.clientSecretSealed) throw new ConsoleNotReady('the console client has no secret');
  const secret = deps.vault.open(app.clientSecretSealed, clientSecretContext(app.id));
  const issuer = new URL(`${deps.publicUrl}${OIDC_MOUNT_PATH}`);
  const insecure = issuer.protocol === 'http:';
  const config = await client.discovery(issuer, CONSOLE_CLIENT_ID, secret, client.ClientSecretBasic(secret), {
    ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
  });
  cached = { config, at: Date.now() };
  return config;
}

export { client };
