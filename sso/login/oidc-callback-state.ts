import type { AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { one } from '../db/sql.js';
import { UPSTREAM_OIDC_NAMESPACE, type StoredState } from '../upstream/oidc/upstream-oidc.js';
import type { ProviderRow } from '../upstream/provider-config.js';
import { LOGIN_TX_NAMESPACE, type LoginTransaction } from './login-transaction.js';

export interface OidcCallbackState {
  stored: StoredState;
  /** The login transaction the state names, unless it expired (the browser is not checked here). */
  tx: LoginTransaction | undefined;
  /** The provider the state was issued for, as stored now. */
  provider: ProviderRow | undefined;
  /** When the transaction resumes an OIDC authorization: its oidc-provider Interaction, if still live. */
  interaction: AdapterPayload | undefined;
}

/**
 * Everything an upstream OIDC callback needs before it talks to the upstream, in one statement: the upstream
 * state is taken (deleted: single use, whatever happens next), and the login transaction, the provider and the
 * interaction to resume are read with it. Undefined when the state is unknown, expired or already used.
 */
export async function takeOidcCallbackState(
  dataSource: DataSource,
  state: unknown,
): Promise<OidcCallbackState | undefined> {
  if (typeof state !== 'string' || state.length < 16 || state.length > 200) return undefined;
  const row = await one<
    Partial<ProviderRow> & {
      state: StoredState;
      live: boolean;
      tx: LoginTransaction | null;
      interaction: AdapterPayload | null;
      provider_id: string | null;
    }
  >(
    dataSource,
    `WITH taken AS (
       DELETE FROM expiring_entries WHERE namespace = $1 AND key = $2
       RETURNING value, expires_at > now() AS live)
     SELECT taken.value AS state, taken.live, t.value AS tx, i.payload AS interaction, p.id AS provider_id,
            p.tenant_id, p.kind, p.slug, p.name, p.config, p.secrets_sealed, p.link_by, p.link_claim, p.enabled
       FROM taken
       LEFT JOIN expiring_entries t ON t.namespace = $3 AND t.key = taken.value->>'txId' AND t.expires_at > now()
       LEFT JOIN oidc_payloads i ON i.model = 'Interaction' AND t.value->'resume'->>'kind' = 'oidc'
            AND i.id = t.value->'resume'->>'uid' AND (i.expires_at IS NULL OR i.expires_at > now())
       LEFT JOIN identity_providers p ON p.id = CASE
            WHEN taken.value->>'providerId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN (taken.value->>'providerId')::uuid END`,
    [UPSTREAM_OIDC_NAMESPACE, state, LOGIN_TX_NAMESPACE],
    'sso-oidc-callback-state',
  );
  if (!row?.live) return undefined;
  return {
    stored: row.state,
    tx: row.tx ?? undefined,
    provider: row.provider_id ? ({ ...row, id: row.provider_id } as ProviderRow) : undefined,
    interaction: row.interaction ?? undefined,
  };
}
