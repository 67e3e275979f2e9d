import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import type { Vault } from '../../../core/vault/vault.js';
import { one, rows } from '../../db/sql.js';
import { type ApplicationRecord, toClientMetadata } from './client-metadata.js';

/**
 * oidc-provider's storage in PostgreSQL (`oidc_payloads`), implementing the adapter contract of
 * node-oidc-provider's example/my_adapter.js. Every replica reads the same rows, so an authorization started on
 * one gateway finishes on another. Clients are not stored here: they are `applications` rows, read through
 * `toClientMetadata` and cached for a few seconds because every token request looks its client up.
 */
const CLIENT_CACHE_MS = 5_000;

interface PayloadRow {
  payload: AdapterPayload;
  consumed: number | null;
}

export class PostgresAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly dataSource: DataSource,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await rows(
      this.dataSource,
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, account_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::int IS NULL THEN NULL ELSE now() + make_interval(secs => $8::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, account_id = EXCLUDED.account_id,
         expires_at = EXCLUDED.expires_at`,
      [
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        payload.accountId ?? null,
        expiresIn ?? null,
      ],
      'oidc-upsert',
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findBy('id', id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findBy('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findBy('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await rows(
      this.dataSource,
      `UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2`,
      [this.model, id],
      'oidc-consume',
    );
  }

  async destroy(id: string): Promise<void> {
    await rows(
      this.dataSource,
      `DELETE FROM oidc_payloads WHERE model = $1 AND id = $2`,
      [this.model, id],
      'oidc-destroy',
    );
  }

  /** Removes the grant and everything issued under it, whatever the model (RFC 6749 §10.5 / §4.1.2 code reuse). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await rows(
      this.dataSource,
      `DELETE FROM oidc_payloads WHERE grant_id = $1`,
      [grantId],
      'oidc-revoke-grant',
    );
  }

  private async findBy(
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const row = await one<PayloadRow>(
      this.dataSource,
      `SELECT payload, extract(epoch FROM consumed_at)::bigint AS consumed FROM oidc_payloads
        WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, value],
      `oidc-find-${column}`,
    );
    if (!row) return undefined;
    return row.consumed === null ? row.payload : { ...row.payload, consumed: Number(row.consumed) };
  }
}

/** The `Client` model: read-only, from `applications`. */
export class ApplicationClientAdapter implements Adapter {
  private readonly cache = new Map<string, { at: number; value: AdapterPayload | undefined }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: Vault,
  ) {}

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.value;
    const app = await one<{
      id: string;
      name: string;
      protocol: 'oidc' | 'saml';
      client_id: string;
      client_secret_sealed: string | null;
      oidc: ApplicationRecord['oidc'];
      enabled: boolean;
    }>(
      this.dataSource,
      `SELECT id, name, protocol, client_id, client_secret_sealed, oidc, enabled FROM applications WHERE client_id = $1`,
      [clientId],
      'oidc-client-find',
    );
    const value = app
      ? toClientMetadata(
          {
            id: app.id,
            name: app.name,
            protocol: app.protocol,
            clientId: app.client_id,
            clientSecretSealed: app.client_secret_sealed,
            oidc: app.oidc,
            enabled: app.enabled,
          },
          this.vault,
        )
      : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(clientId, { at: Date.now(), value: value as AdapterPayload | undefined });
    return value as AdapterPayload | undefined;
  }

  // Clients are managed through the admin API (applications), never by oidc-provider itself.
  async upsert(): Promise<void> {}
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

export function postgresAdapterFactory(dataSource: DataSource, vault: Vault): (model: string) => Adapter {
  const clients = new ApplicationClientAdapter(dataSource, vault);
  return (model) => (model === 'Client' ? clients : new PostgresAdapter(model, dataSource));
}
