import { SignInRejected } from '../../errors.js';
import type { ExpiringStore } from '../../state/expiring-store.js';

/**
 * Rate limits on credential sign-in (password, LDAP, TOTP), counted in PostgreSQL so every replica sees the same
 * numbers: per client address (password spraying) and per login name (guessing one account). Lock-out of the
 * account itself lives on the credential (`failedAttempts` / `lockedUntil`).
 */
export const ATTEMPT_LIMITS = {
  perIp: { max: 30, windowSeconds: 300 },
  perLogin: { max: 10, windowSeconds: 300 },
} as const;

export async function countAttempt(
  store: ExpiringStore,
  providerId: string,
  login: string,
  ip: string | null,
  limits: {
    perIp: { max: number; windowSeconds: number };
    perLogin: { max: number; windowSeconds: number };
  } = ATTEMPT_LIMITS,
): Promise<void> {
  const byLogin = await store.increment(
    'rate-login',
    `${providerId}:${login.toLowerCase()}`,
    limits.perLogin.windowSeconds,
  );
  const byIp = ip ? await store.increment('rate-ip', ip, limits.perIp.windowSeconds) : 0;
  if (byLogin > limits.perLogin.max) {
    throw new SignInRejected(
      'rate_limited',
      `more than ${limits.perLogin.max} attempts for ${login} in ${limits.perLogin.windowSeconds} s`,
    );
  }
  if (byIp > limits.perIp.max) {
    throw new SignInRejected(
      'rate_limited',
      `more than ${limits.perIp.max} attempts from ${ip} in ${limits.perIp.windowSeconds} s`,
    );
  }
}
