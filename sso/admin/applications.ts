import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OidcClientSettings, SamlServiceProviderSettings } from '../../core/entities/application.js';
import { ValidationError } from '../../core/errors.js';
import type { Vault } from '../../core/vault/vault.js';
import { rows, transaction } from '../db/sql.js';
import { clientSecretContext } from '../provider/oidc/client-metadata.js';
import { parseOidcClientSettings, parseSamlSpSettings } from './application-settings.js';

interface ApplicationBase {
  tenantId: string;
  slug: string;
  name: string;
  claimMappings?: Record<string, string>;
  launchUrl?: string | null;
  iconUrl?: string | null;
  openToAll?: boolean;
}

/**
 * Registers an OIDC client. Confidential clients get a generated secret, sealed with context
 * `application:<id>:client-secret` and returned here once (the admin API shows it once; it cannot be read back).
 */
export async function createOidcApplication(
  dataSource: DataSource,
  vault: Vault,
  input: ApplicationBase & { oidc: OidcClientSettings; clientId?: string },
): Promise<{ id: string; clientId: string; clientSecret: string | null }> {
  const oidc = parseOidcClientSettings(input.oidc);
  const clientId = input.clientId ?? `app_${randomBytes(12).toString('base64url')}`;
  const clientSecret = oidc.public ? null : randomBytes(32).toString('base64url');
  const id = await insertApplication(dataSource, input, 'oidc', clientId, { oidc }, (appId) =>
    clientSecret ? vault.seal(clientSecret, clientSecretContext(appId)) : null,
  );
  return { id, clientId, clientSecret };
}

/** Registers a SAML service provider; its entity id is its client id. */
export async function createSamlApplication(
  dataSource: DataSource,
  input: ApplicationBase & { saml: SamlServiceProviderSettings },
): Promise<{ id: string; entityId: string }> {
  const saml = parseSamlSpSettings(input.saml);
  const id = await insertApplication(dataSource, input, 'saml', saml.entityId, { saml }, () => null);
  return { id, entityId: saml.entityId };
}

/** Issues a new client secret (the old one stops working at once); returned once. */
export async function rotateClientSecret(
  dataSource: DataSource,
  vault: Vault,
  applicationId: string,
): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const updated = await rows(
    dataSource,
    `UPDATE applications SET client_secret_sealed = $2, version = version + 1, updated_at = now()
      WHERE id = $1 AND protocol = 'oidc' AND NOT COALESCE((oidc->>'public')::boolean, false) RETURNING id`,
    [applicationId, vault.seal(secret, clientSecretContext(applicationId))],
  );
  if (updated.length === 0)
    throw new ValidationError('only confidential OIDC applications have a client secret');
  return secret;
}

async function insertApplication(
  dataSource: DataSource,
  input: ApplicationBase,
  protocol: 'oidc' | 'saml',
  clientId: string,
  settings: { oidc?: OidcClientSettings; saml?: SamlServiceProviderSettings },
  sealSecret: (id: string) => string | null,
): Promise<string> {
  return transaction(dataSource, async (client) => {
    const [row] = await rows<{ id: string }>(
      client,
      `INSERT INTO applications (tenant_id, slug, name, protocol, client_id, oidc, saml, claim_mappings, launch_url,
                                 icon_url, open_to_all, enabled, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, 1) RETURNING id`,
      [
        input.tenantId,
        input.slug,
        input.name,
        protocol,
        clientId,
        settings.oidc ? JSON.stringify(settings.oidc) : null,
        settings.saml ? JSON.stringify(settings.saml) : null,
        JSON.stringify(input.claimMappings ?? {}),
        input.launchUrl ?? null,
        input.iconUrl ?? null,
        input.openToAll ?? false,
      ],
    );
    if (!row) throw new Error('insert returned nothing');
    const sealed = sealSecret(row.id);
    if (sealed)
      await client.query(`UPDATE applications SET client_secret_sealed = $2 WHERE id = $1`, [row.id, sealed]);
    return row.id;
  });
}
