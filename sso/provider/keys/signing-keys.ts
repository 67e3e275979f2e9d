import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import type { Vault } from '../../../core/vault/vault.js';
import { recordSsoEvent } from '../../audit/record-sso-event.js';
import { rows, transaction } from '../../db/sql.js';
import { generateCookieSecret, generateOidcKey, generateSamlKey } from './generate-keys.js';

/**
 * Junction's keys live in `signing_keys`, private parts sealed by the vault (context `signing-key:<kid>`), so every
 * replica signs with the same keys and a database dump alone signs nothing. Rotation makes a new key active and
 * keeps the old one published (`retiring`) until what it signed has expired.
 */
export type KeyPurpose = 'oidc' | 'saml' | 'cookie';

/** ID tokens live 1 h; relying parties cache JWKS for hours. A day covers both. */
export const DEFAULT_RETIREMENT_SECONDS = 24 * 3600;

export interface KeyMaterial {
  /** Private JWKs, active first (oidc-provider signs with the first key of an algorithm). */
  oidcJwks: { keys: JWK[] };
  saml: { kid: string; privateKeyPem: string; certificatePem: string };
  /** Every published SAML certificate (active and retiring), for metadata. */
  samlCertificates: string[];
  /** Cookie / CSRF secrets, newest first: sign with the first, accept any. */
  cookieSecrets: string[];
  /** Changes whenever the key set does; replicas compare it to know when to reload. */
  fingerprint: string;
}

interface KeyRow {
  kid: string;
  purpose: KeyPurpose;
  alg: string;
  private_key_sealed: string;
  certificate_pem: string | null;
  status: 'active' | 'retiring';
}

const context = (kid: string): string => `signing-key:${kid}`;

/** Creates whatever active key is missing. Safe for replicas starting together (advisory lock). */
export async function ensureSigningKeys(
  dataSource: DataSource,
  vault: Vault,
  issuerName: string,
): Promise<void> {
  await transaction(dataSource, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('junction:signing-keys'))`);
    const present = new Set(
      (
        await rows<{ purpose: string; alg: string }>(
          client,
          `SELECT purpose, alg FROM signing_keys WHERE status = 'active'`,
        )
      ).map((r) => `${r.purpose}:${r.alg}`),
    );
    for (const alg of ['RS256', 'ES256'] as const) {
      if (!present.has(`oidc:${alg}`)) await insertOidcKey(client, vault, alg);
    }
    if (!present.has('saml:RS256')) await insertSamlKey(client, vault, issuerName);
    if (!present.has('cookie:HS256')) await insertCookieKey(client, vault);
  });
}

/**
 * Makes a new key active for `purpose` and moves the old ones to `retiring`, published until `retireAfterSeconds`
 * from now. Returns the new key ids.
 */
export async function rotateSigningKeys(
  dataSource: DataSource,
  vault: Vault,
  purpose: KeyPurpose,
  options: {
    retireAfterSeconds?: number;
    issuerName?: string;
    actor?: { type: 'system' | 'admin'; id?: string };
  } = {},
): Promise<string[]> {
  const kids = await transaction(dataSource, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('junction:signing-keys'))`);
    await client.query(
      `UPDATE signing_keys SET status = 'retiring', retire_after = now() + make_interval(secs => $2)
        WHERE purpose = $1 AND status = 'active'`,
      [purpose, options.retireAfterSeconds ?? DEFAULT_RETIREMENT_SECONDS],
    );
    if (purpose === 'oidc') {
      return [await insertOidcKey(client, vault, 'RS256'), await insertOidcKey(client, vault, 'ES256')];
    }
    if (purpose === 'saml') return [await insertSamlKey(client, vault, options.issuerName ?? 'Junction')];
    return [await insertCookieKey(client, vault)];
  });
  await recordSsoEvent(dataSource, {
    action: 'sso.signing_keys_rotated',
    outcome: 'success',
    actorType: options.actor?.type ?? 'system',
    actorId: options.actor?.id ?? null,
    targetType: 'signing_key',
    targetId: kids.join(','),
    detail: { purpose, retireAfterSeconds: options.retireAfterSeconds ?? DEFAULT_RETIREMENT_SECONDS },
  });
  return kids;
}

/** Marks retiring keys whose time is up as retired (they leave the JWKS and metadata). */
export async function retireExpiredKeys(dataSource: DataSource): Promise<number> {
  const gone = await rows(
    dataSource,
    `UPDATE signing_keys SET status = 'retired' WHERE status = 'retiring' AND retire_after <= now() RETURNING kid`,
  );
  return gone.length;
}

export async function keySetFingerprint(dataSource: DataSource): Promise<string> {
  const list = await rows<{ kid: string; status: string }>(
    dataSource,
    `SELECT kid, status FROM signing_keys
      WHERE status IN ('active', 'retiring') AND (retire_after IS NULL OR retire_after > now())`,
    [],
    'sso-key-fingerprint',
  );
  return fingerprintOf(list);
}

function fingerprintOf(list: { kid: string; status: string }[]): string {
  return list
    .map((k) => `${k.kid}:${k.status}`)
    .sort()
    .join(',');
}

export async function loadKeyMaterial(dataSource: DataSource, vault: Vault): Promise<KeyMaterial> {
  const list = await rows<KeyRow>(
    dataSource,
    `SELECT kid, purpose, alg, private_key_sealed, certificate_pem, status FROM signing_keys
      WHERE status IN ('active', 'retiring') AND (retire_after IS NULL OR retire_after > now())
      ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, created_at DESC, kid`,
  );
  const byPurpose = (purpose: KeyPurpose): KeyRow[] => list.filter((k) => k.purpose === purpose);
  const samlActive = byPurpose('saml').find((k) => k.status === 'active');
  if (
    !samlActive ||
    !byPurpose('oidc').some((k) => k.status === 'active') ||
    byPurpose('cookie').length === 0
  ) {
    throw new Error('sso: signing keys are missing; ensureSigningKeys() must run first');
  }
  return {
    oidcJwks: {
      keys: byPurpose('oidc').map((k) => vault.openJson<JWK>(k.private_key_sealed, context(k.kid))),
    },
    saml: {
      kid: samlActive.kid,
      privateKeyPem: vault.open(samlActive.private_key_sealed, context(samlActive.kid)),
      certificatePem: samlActive.certificate_pem ?? '',
    },
    samlCertificates: byPurpose('saml').flatMap((k) => (k.certificate_pem ? [k.certificate_pem] : [])),
    cookieSecrets: byPurpose('cookie').map((k) => vault.open(k.private_key_sealed, context(k.kid))),
    fingerprint: fingerprintOf(list),
  };
}

type Client = Parameters<typeof rows>[0];

async function insertOidcKey(client: Client, vault: Vault, alg: 'RS256' | 'ES256'): Promise<string> {
  const key = await generateOidcKey(alg);
  await rows(
    client,
    `INSERT INTO signing_keys (kid, purpose, alg, private_key_sealed, public_jwk, status)
     VALUES ($1, 'oidc', $2, $3, $4, 'active')`,
    [key.kid, alg, vault.sealJson(key.privateJwk, context(key.kid)), JSON.stringify(key.publicJwk)],
  );
  return key.kid;
}

async function insertSamlKey(client: Client, vault: Vault, issuerName: string): Promise<string> {
  const key = await generateSamlKey(`${issuerName} SAML signing`);
  await rows(
    client,
    `INSERT INTO signing_keys (kid, purpose, alg, private_key_sealed, public_jwk, certificate_pem, status)
     VALUES ($1, 'saml', 'RS256', $2, $3, $4, 'active')`,
    [
      key.kid,
      vault.seal(key.privateKeyPem, context(key.kid)),
      JSON.stringify(key.publicJwk),
      key.certificatePem,
    ],
  );
  return key.kid;
}

async function insertCookieKey(client: Client, vault: Vault): Promise<string> {
  const key = generateCookieSecret();
  await rows(
    client,
    `INSERT INTO signing_keys (kid, purpose, alg, private_key_sealed, public_jwk, status)
     VALUES ($1, 'cookie', 'HS256', $2, '{}', 'active')`,
    [key.kid, vault.seal(key.secret, context(key.kid))],
  );
  return key.kid;
}
