import type { DataSource } from 'typeorm';
import type { PersonStatus } from '../../../core/entities/person.js';
import { one, rows } from '../../db/sql.js';

/** A password identity with its credential and person, as the sign-in needs it. */
export interface LocalAccount {
  identityId: string;
  personId: string | null;
  tenantId: string | null;
  status: PersonStatus | null;
  passwordHash: string | null;
  totpEnabled: boolean;
  totpSecretSealed: string | null;
  totpLastStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  webauthnCount: number;
}

export async function findLocalAccount(
  dataSource: DataSource,
  providerId: string,
  login: string,
): Promise<LocalAccount | undefined> {
  return loadLocalAccount(dataSource, `i.provider_id = $1 AND i.subject = $2`, [
    providerId,
    login.trim().toLowerCase(),
  ]);
}

export async function findLocalAccountByIdentity(
  dataSource: DataSource,
  identityId: string,
): Promise<LocalAccount | undefined> {
  return loadLocalAccount(dataSource, `i.id = $1`, [identityId]);
}

async function loadLocalAccount(
  dataSource: DataSource,
  where: string,
  values: unknown[],
): Promise<LocalAccount | undefined> {
  const row = await one<{
    identity_id: string;
    person_id: string | null;
    tenant_id: string | null;
    status: PersonStatus | null;
    password_hash: string | null;
    totp_enabled: boolean;
    totp_secret_sealed: string | null;
    totp_last_step: string | null;
    failed_attempts: number;
    locked_until: Date | null;
    webauthn_count: number;
  }>(
    dataSource,
    `SELECT i.id AS identity_id, i.person_id, p.tenant_id, p.status, lc.password_hash, lc.totp_enabled,
            lc.totp_secret_sealed, lc.totp_last_step, lc.failed_attempts, lc.locked_until,
            (SELECT count(*)::int FROM webauthn_credentials w WHERE w.identity_id = i.id) AS webauthn_count
       FROM identities i
       JOIN local_credentials lc ON lc.identity_id = i.id
       LEFT JOIN people p ON p.id = i.person_id
      WHERE ${where}`,
    values,
  );
  if (!row) return undefined;
  return {
    identityId: row.identity_id,
    personId: row.person_id,
    tenantId: row.tenant_id,
    status: row.status,
    passwordHash: row.password_hash,
    totpEnabled: row.totp_enabled,
    totpSecretSealed: row.totp_secret_sealed,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
    webauthnCount: row.webauthn_count,
  };
}

/**
 * Counts a failure; at `max` the credential locks for `lockMinutes` and the count restarts. Atomic in SQL so two
 * replicas counting at once cannot both stay under the limit. Returns true when this failure locked it.
 */
export async function recordFailure(
  dataSource: DataSource,
  identityId: string,
  max: number,
  lockMinutes: number,
): Promise<boolean> {
  const row = await one<{ locked: boolean }>(
    dataSource,
    `UPDATE local_credentials SET
       failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END,
       updated_at = now()
     WHERE identity_id = $1
     RETURNING locked_until IS NOT NULL AND locked_until > now() AS locked`,
    [identityId, max, lockMinutes],
  );
  return row?.locked ?? false;
}

export async function recordSuccess(dataSource: DataSource, identityId: string): Promise<void> {
  await rows(
    dataSource,
    `UPDATE local_credentials SET failed_attempts = 0, locked_until = NULL, updated_at = now()
      WHERE identity_id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)`,
    [identityId],
  );
}
