import type { SsoDeps } from '../../deps.js';
import { SignInRejected } from '../../errors.js';
import type { LinkedPerson } from '../../linking/link-identity.js';
import { checkPersonStatus } from '../../login/complete-sign-in.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import type { LoadedProvider } from '../provider-config.js';
import { checkAttemptBudget, recordFailedAttempt } from './attempt-limits.js';
import { findLocalAccount, recordFailure, recordSuccess, type LocalAccount } from './local-credentials.js';
import { burnVerification, verifyPassword } from './password-hash.js';

type PasswordProvider = Extract<LoadedProvider, { kind: 'password' }>;
export type SecondFactorMethod = 'totp' | 'webauthn';

export interface FirstFactor {
  linked: LinkedPerson;
  /** Empty when no second factor is owed. */
  secondFactor: SecondFactorMethod[];
}

/**
 * Junction's own password sign-in, one check after another: rate limit, known login, not locked, argon2id verify
 * (failures count towards lock-out), person active, then which second factor is owed. Unknown logins cost the same
 * argon2 time as wrong passwords and get the same answer.
 */
export async function passwordFirstFactor(
  deps: SsoDeps,
  store: ExpiringStore,
  provider: PasswordProvider,
  login: string,
  password: string,
  ip: string | null,
): Promise<FirstFactor> {
  await checkAttemptBudget(store, provider.id, login, ip);
  const account = await findLocalAccount(deps.dataSource, provider.id, login);
  if (!account?.passwordHash) {
    await burnVerification(password);
    await recordFailedAttempt(store, provider.id, login, ip);
    throw new SignInRejected(
      'bad_credentials',
      `no password identity ${login.slice(0, 100)} at provider ${provider.id}`,
    );
  }
  checkNotLocked(account);
  if (!(await verifyPassword(account.passwordHash, password))) {
    await recordFailedAttempt(store, provider.id, login, ip);
    const locked = await recordFailure(
      deps.dataSource,
      account.identityId,
      provider.config.maxFailedAttempts,
      provider.config.lockoutMinutes,
    );
    throw new SignInRejected(
      locked ? 'locked' : 'bad_credentials',
      `wrong password for identity ${account.identityId}${locked ? '; credential now locked' : ''}`,
    );
  }
  await recordSuccess(deps.dataSource, account.identityId);
  const linked = linkedOf(account);
  checkPersonStatus(linked);
  return { linked, secondFactor: secondFactorOwed(provider, account) };
}

export function checkNotLocked(account: LocalAccount): void {
  if (account.lockedUntil && account.lockedUntil.getTime() > Date.now()) {
    throw new SignInRejected(
      'locked',
      `identity ${account.identityId} locked until ${account.lockedUntil.toISOString()}`,
    );
  }
}

function linkedOf(account: LocalAccount): LinkedPerson {
  if (!account.personId || !account.tenantId || !account.status) {
    throw new SignInRejected('pending_approval', `password identity ${account.identityId} has no person`);
  }
  return {
    personId: account.personId,
    identityId: account.identityId,
    tenantId: account.tenantId,
    status: account.status,
  };
}

function secondFactorOwed(provider: PasswordProvider, account: LocalAccount): SecondFactorMethod[] {
  if (provider.config.secondFactor === 'off') return [];
  const methods: SecondFactorMethod[] = [];
  if (account.totpEnabled && account.totpSecretSealed) methods.push('totp');
  if (account.webauthnCount > 0) methods.push('webauthn');
  if (methods.length === 0 && provider.config.secondFactor === 'required') {
    throw new SignInRejected(
      'second_factor_missing',
      `provider ${provider.id} requires a second factor and identity ${account.identityId} has none enrolled`,
    );
  }
  return methods;
}
