import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import type { Vault } from '../../../core/vault/vault.js';
import { errors } from 'oidc-provider';
import { heldWrites, prefetchKey, type PayloadUpsert } from '../../db/request-writes.js';
import { one, rows } from '../../db/sql.js';
import { type ApplicationRecord, toClientMetadata } from './client-metadata.js';

/**
 * oidc-provider's storage in PostgreSQL (`oidc_payloads`), implementing the adapter contract of
 * node-oidc-provider's example/my_adapter.js. Every replica reads the same rows, so an authorization started on
 * one gateway finishes on another. Clients are not stored here: they are `applications` rows, read through
 * `toClientMetadata` and cached for a few seconds because every token request looks its client up.
 */
const CLIENT_CACHE_MS = 5_000;

/** Models whose rows name a grant and a session (oidc-provider's token classes). */
const TOKEN_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

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
    const row: PayloadUpsert = {
      model: this.model,
      id,
      payload,
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      account_id: payload.accountId ?? null,
      ttl: expiresIn ?? null,
    };
    const held = heldWrites();
    if (held) {
      held.upsertPayload(row);
      return;
    }
    await rows(
      this.dataSource,
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, account_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::int IS NULL THEN NULL ELSE now() + make_interval(secs => $8::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, account_id = EXCLUDED.account_id,
         expires_at = EXCLUDED.expires_at`,
      [row.model, id, JSON.stringify(payload), row.grant_id, row.uid, row.user_code, row.account_id, row.ttl],
      'oidc-upsert',
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const held = heldWrites();
    if (held) {
      if (held.holdsPayload(this.model, id)) await held.flush();
      else {
        const hit = held.prefetched.get(prefetchKey(this.model, id));
        if (hit !== undefined) return hit ?? undefined;
      }
    }
    if (!TOKEN_MODELS.has(this.model)) return this.findBy('id', id);
    // A token names its grant and (when it ends with the session) its session, which oidc-provider looks up next:
    // read all three in one statement and keep the other two for the rest of this request.
    const row = await one<
      PayloadRow & {
        grant_id: string | null;
        grant: AdapterPayload | null;
        session_uid: string | null;
        session: AdapterPayload | null;
      }
    >(
      this.dataSource,
      `SELECT t.payload, extract(epoch FROM t.consumed_at)::bigint AS consumed,
              t.grant_id, g.payload AS grant, t.payload->>'sessionUid' AS session_uid, s.payload AS session
         FROM oidc_payloads t
         LEFT JOIN oidc_payloads g ON g.model = 'Grant' AND g.id = t.grant_id
              AND (g.expires_at IS NULL OR g.expires_at > now())
         LEFT JOIN oidc_payloads s ON s.model = 'Session' AND s.uid = t.payload->>'sessionUid'
              AND (s.expires_at IS NULL OR s.expires_at > now())
        WHERE t.model = $1 AND t.id = $2 AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [this.model, id],
      'oidc-find-token',
    );
    if (!row) return undefined;
    if (held) {
      if (row.grant_id && !held.holdsModel('Grant'))
        held.prefetched.set(prefetchKey('Grant', row.grant_id), row.grant);
      if (row.session_uid && !held.holdsModel('Session'))
        held.prefetched.set(prefetchKey('Session', `uid:${row.session_uid}`), row.session);
    }
    return withConsumed(row);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const held = heldWrites();
    if (held) {
      if (held.holdsModel(this.model)) await held.flush();
      else {
        const hit = held.prefetched.get(prefetchKey(this.model, `uid:${uid}`));
        if (hit !== undefined) return hit ?? undefined;
      }
    }
    return this.findBy('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const held = heldWrites();
    if (held?.holdsModel(this.model)) await held.flush();
    return this.findBy('user_code', userCode);
  }

  /**
   * Marks a code or refresh token used — atomically: of two requests redeeming the same one at once, only the
   * first succeeds; the second is refused and the grant revoked, as for any reuse (RFC 6749 §4.1.2, RFC 9700
   * §4.14.2). oidc-provider's own check (`consumed` on the row it read) cannot see a redemption still in flight.
   */
  async consume(id: string): Promise<void> {
    const held = heldWrites();
    if (held?.holdsPayload(this.model, id)) await held.flush();
    // Within a request that holds its writes: marked used by the statement that stores the new tokens, which
    // stores them only if this request's mark took (RequestWrites.guardConsume).
    if (held?.guardConsume(this.model, id)) return;
    const done = await one<{ grant_id: string | null; first: boolean }>(
      this.dataSource,
      `WITH target AS (SELECT grant_id, consumed_at IS NULL AS first FROM oidc_payloads WHERE model = $1 AND id = $2),
            mark AS (UPDATE oidc_payloads SET consumed_at = now()
                      WHERE model = $1 AND id = $2 AND consumed_at IS NULL RETURNING 1)
       SELECT (SELECT grant_id FROM target) AS grant_id, EXISTS (SELECT 1 FROM mark) AS first`,
      [this.model, id],
      'oidc-consume',
    );
    if (done && !done.first) {
      if (done.grant_id) await this.revokeByGrantId(done.grant_id);
      throw new errors.InvalidGrant(`${this.model} already used`);
    }
  }

  async destroy(id: string): Promise<void> {
    const held = heldWrites();
    if (held) {
      held.deletePayload(this.model, id);
      return;
    }
    await rows(
      this.dataSource,
      `DELETE FROM oidc_payloads WHERE model = $1 AND id = $2`,
      [this.model, id],
      'oidc-destroy',
    );
  }

  /** Removes the grant and everything issued under it, whatever the model (RFC 6749 §10.5 / §4.1.2 code reuse). */
  async revokeByGrantId(grantId: string): Promise<void> {
    const held = heldWrites();
    if (held && !held.empty) await held.flush();
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
    return row ? withConsumed(row) : undefined;
  }
}

function withConsumed(row: PayloadRow): AdapterPayload {
  return row.consumed === null ? row.payload : { ...row.payload, consumed: Number(row.consumed) };
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
