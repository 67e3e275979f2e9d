import { generateSecret, generateURI, verify } from 'otplib';
import type { SsoDeps } from '../../deps.js';
import { one, rows } from '../../db/sql.js';
import { SignInRejected } from '../../errors.js';
import { findLocalAccountByIdentity, recordFailure } from './local-credentials.js';
import { checkNotLocked } from './password-sign-in.js';

export const totpSecretContext = (identityId: string): string => `local-credential:${identityId}:totp`;

/** One step either side (RFC 6238 §5.2 recommends at most one step of network delay). */
const TOLERANCE_SECONDS = 30;

/**
 * Verifies a TOTP code (RFC 6238) for an identity. A code is accepted once: its time step must be later than the
 * last accepted one (RFC 6238 §5.2 "MUST NOT accept the second attempt of the same OTP"), enforced in SQL so two
 * replicas cannot both accept it. Failures count towards the same lock-out as passwords.
 */
export async function verifyTotpCode(
  deps: SsoDeps,
  identityId: string,
  code: string,
  lockout: { maxFailedAttempts: number; lockoutMinutes: number },
): Promise<void> {
  const account = await findLocalAccountByIdentity(deps.dataSource, identityId);
  if (!account?.totpSecretSealed || !account.totpEnabled) {
    throw new SignInRejected('bad_second_factor', `identity ${identityId} has no TOTP enrolled`);
  }
  checkNotLocked(account);
  const secret = deps.vault.open(account.totpSecretSealed, totpSecretContext(identityId));
  const result = /^\d{6}$/.test(code)
    ? await verify({
        secret,
        token: code,
        epochTolerance: TOLERANCE_SECONDS,
        ...(account.totpLastStep !== null ? { afterTimeStep: account.totpLastStep } : {}),
      })
    : { valid: false as const };
  if (!result.valid) {
    const locked = await recordFailure(
      deps.dataSource,
      identityId,
      lockout.maxFailedAttempts,
      lockout.lockoutMinutes,
    );
    throw new SignInRejected(
      locked ? 'locked' : 'bad_second_factor',
      `wrong or reused TOTP code for identity ${identityId}`,
    );
  }
  const consumed = await one(
    deps.dataSource,
    `UPDATE local_credentials SET totp_last_step = $2, failed_attempts = 0, updated_at = now()
      WHERE identity_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1 AS ok`,
    [identityId, stepOf(result)],
  );
  if (!consumed)
    throw new SignInRejected(
      'bad_second_factor',
      `TOTP step ${stepOf(result)} already used by identity ${identityId}`,
    );
}

/** Starts enrolment: a fresh secret (sealed, not yet active) and the otpauth:// URI for the authenticator app. */
export async function beginTotpEnrolment(
  deps: SsoDeps,
  identityId: string,
  label: string,
): Promise<{ secret: string; uri: string }> {
  const secret = generateSecret();
  const updated = await rows(
    deps.dataSource,
    `UPDATE local_credentials SET totp_secret_sealed = $2, totp_enabled = false, totp_last_step = NULL, updated_at = now()
      WHERE identity_id = $1 RETURNING 1`,
    [identityId, deps.vault.seal(secret, totpSecretContext(identityId))],
  );
  if (updated.length === 0)
    throw new SignInRejected('invalid_request', `identity ${identityId} has no local credential`);
  return { secret, uri: generateURI({ issuer: 'Junction', label, secret }) };
}

/** Finishes enrolment once the person proves their app produces codes; the code is consumed. */
export async function confirmTotpEnrolment(deps: SsoDeps, identityId: string, code: string): Promise<void> {
  const account = await findLocalAccountByIdentity(deps.dataSource, identityId);
  if (!account?.totpSecretSealed)
    throw new SignInRejected('invalid_request', `no TOTP enrolment started for ${identityId}`);
  const secret = deps.vault.open(account.totpSecretSealed, totpSecretContext(identityId));
  const result = /^\d{6}$/.test(code)
    ? await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS })
    : { valid: false as const };
  if (!result.valid)
    throw new SignInRejected('bad_second_factor', `enrolment code rejected for identity ${identityId}`);
  await rows(
    deps.dataSource,
    `UPDATE local_credentials SET totp_enabled = true, totp_last_step = $2, updated_at = now() WHERE identity_id = $1`,
    [identityId, stepOf(result)],
  );
}

/** The RFC 6238 time step T the code matched (the functional verify's result type also covers HOTP). */
function stepOf(result: object): number {
  if ('timeStep' in result && typeof result.timeStep === 'number') return result.timeStep;
  throw new Error('otplib did not report the matched TOTP time step');
}
