import type { DataSource } from 'typeorm';
import type { IdentityProviderKind, LinkStrategy } from '../../core/entities/identity-provider.js';
import { NotFoundError, StaleVersionError, ValidationError } from '../../core/errors.js';
import type { Vault } from '../../core/vault/vault.js';
import { one, rows, transaction } from '../db/sql.js';
import { parseProviderSettings, providerSecretsContext } from '../upstream/provider-config.js';

export interface IdentityProviderInput {
  tenantId: string;
  kind: IdentityProviderKind;
  slug: string;
  name: string;
  /** Validated against the kind's schema (sso/upstream/provider-config.ts); defaults filled in. */
  config: unknown;
  /** Write-only: sealed with context `identity-provider:<id>`; never returned. */
  secrets?: unknown;
  linkBy?: LinkStrategy;
  linkClaim?: string | null;
  priority?: number;
  enabled?: boolean;
}

/**
 * Creates an upstream identity provider with its config validated and its secrets sealed. The admin API calls this
 * (not a raw insert) so the vault context is always the row id — sealed values cannot be moved between rows.
 */
export async function createIdentityProvider(
  dataSource: DataSource,
  vault: Vault,
  input: IdentityProviderInput,
): Promise<{ id: string }> {
  const settings = parseProviderSettings(input.kind, input.config, input.secrets);
  const linkBy = input.linkBy ?? 'verified_email';
  if (linkBy === 'employee_number' && !input.linkClaim && input.kind !== 'password') {
    throw new ValidationError('linkClaim: required when linking by employee number');
  }
  return transaction(dataSource, async (client) => {
    const [row] = await rows<{ id: string }>(
      client,
      `INSERT INTO identity_providers (tenant_id, kind, slug, name, config, link_by, link_claim, priority, enabled, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id`,
      [
        input.tenantId,
        input.kind,
        input.slug,
        input.name,
        JSON.stringify(settings.config),
        linkBy,
        input.linkClaim ?? null,
        input.priority ?? 100,
        input.enabled ?? true,
      ],
    );
    if (!row) throw new Error('insert returned nothing');
    if (Object.keys(settings.secrets).length > 0) {
      await client.query(`UPDATE identity_providers SET secrets_sealed = $2 WHERE id = $1`, [
        row.id,
        vault.sealJson(settings.secrets, providerSecretsContext(row.id)),
      ]);
    }
    return { id: row.id };
  });
}

/**
 * Replaces config and/or secrets of a provider (secrets only when given: omitted means "keep"), and its name,
 * priority, enabled flag and linking, in one statement. With `expectedVersion` (an admin's If-Match) the write
 * happens only if the provider is still at that version, so two admins' edits cannot silently overwrite each other.
 */
export async function updateIdentityProvider(
  dataSource: DataSource,
  vault: Vault,
  id: string,
  change: {
    config?: unknown;
    secrets?: unknown;
    enabled?: boolean;
    name?: string;
    priority?: number;
    linkBy?: LinkStrategy;
    linkClaim?: string | null;
    expectedVersion?: number;
  },
): Promise<void> {
  // Without an If-Match the admin asked for last-writer-wins: a write that lost the race is merged again from the
  // newer row (so another admin's secret change is kept, not overwritten with what this one read).
  for (let attempt = 1; ; attempt++) {
    const current = await one<{
      kind: IdentityProviderKind;
      config: unknown;
      secrets_sealed: string | null;
      version: number;
    }>(dataSource, `SELECT kind, config, secrets_sealed, version FROM identity_providers WHERE id = $1`, [
      id,
    ]);
    if (!current) throw new NotFoundError('identity provider', { id });
    const expected = change.expectedVersion;
    if (expected !== undefined && current.version !== expected)
      throw new StaleVersionError('identity provider', current.version);
    const secrets =
      change.secrets !== undefined
        ? change.secrets
        : current.secrets_sealed
          ? vault.openJson(current.secrets_sealed, providerSecretsContext(id))
          : {};
    const settings = parseProviderSettings(current.kind, change.config ?? current.config, secrets);
    // Conditional on the version read above: the merged config and secrets were computed from that version.
    const updated = await rows<{ id: string }>(
      dataSource,
      `UPDATE identity_providers SET config = $2, secrets_sealed = $3, enabled = COALESCE($4, enabled),
              name = COALESCE($5, name), priority = COALESCE($6, priority), link_by = COALESCE($8, link_by),
              link_claim = CASE WHEN $9 THEN $10 ELSE link_claim END,
              version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $7
        RETURNING id`,
      [
        id,
        JSON.stringify(settings.config),
        Object.keys(settings.secrets).length
          ? vault.sealJson(settings.secrets, providerSecretsContext(id))
          : null,
        change.enabled ?? null,
        change.name ?? null,
        change.priority ?? null,
        current.version,
        change.linkBy ?? null,
        change.linkClaim !== undefined,
        change.linkClaim ?? null,
      ],
    );
    if (updated.length > 0) return;
    if (expected !== undefined || attempt >= 5) {
      const now = await one<{ version: number }>(
        dataSource,
        `SELECT version FROM identity_providers WHERE id = $1`,
        [id],
      );
      if (!now) throw new NotFoundError('identity provider', { id });
      throw new StaleVersionError('identity provider', now.version);
    }
  }
}
