import type { DataSource } from 'typeorm';
import { ValidationError } from '../../core/errors.js';
import { one, rows, transaction } from '../db/sql.js';
import { hashPassword } from '../upstream/password/password-hash.js';

/**
 * Gives a person a login at a `password` provider (Junction's own password, for a tenant without an IdP). The
 * subject is the lower-cased login; the password is stored as argon2id only.
 */
export async function createPasswordIdentity(
  dataSource: DataSource,
  input: { providerId: string; personId: string; login: string; password?: string },
): Promise<{ identityId: string }> {
  const login = input.login.trim().toLowerCase();
  if (!login || login.length > 320) throw new ValidationError('login: required, at most 320 characters');
  const provider = await one<{ tenant_id: string; kind: string }>(
    dataSource,
    `SELECT tenant_id, kind FROM identity_providers WHERE id = $1`,
    [input.providerId],
  );
  if (provider?.kind !== 'password') throw new ValidationError('providerId: not a password provider');
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return transaction(dataSource, async (client) => {
    const [identity] = await rows<{ id: string }>(
      client,
      `INSERT INTO identities (tenant_id, provider_id, subject, person_id, email, email_verified, version)
       VALUES ($1, $2, $3, $4, $5, false, 1) RETURNING id`,
      [provider.tenant_id, input.providerId, login, input.personId, login.includes('@') ? login : null],
    );
    if (!identity) throw new Error('insert returned nothing');
    await client.query(
      `INSERT INTO local_credentials (identity_id, password_hash, password_changed_at) VALUES ($1, $2, now())`,
      [identity.id, passwordHash],
    );
    return { identityId: identity.id };
  });
}

export async function setPassword(
  dataSource: DataSource,
  identityId: string,
  password: string,
): Promise<void> {
  const hash = await hashPassword(password);
  const updated = await rows(
    dataSource,
    `UPDATE local_credentials SET password_hash = $2, password_changed_at = now(), failed_attempts = 0,
            locked_until = NULL, updated_at = now()
      WHERE identity_id = $1 RETURNING 1`,
    [identityId, hash],
  );
  if (updated.length === 0) throw new ValidationError('identity has no local credential');
}
