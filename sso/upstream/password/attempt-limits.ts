import { SignInRejected } from '../../errors.js';
import type { ExpiringStore } from '../../state/expiring-store.js';

/**
 * Rate limits on credential sign-in (password, LDAP), counted in PostgreSQL so every replica sees the same numbers.
 * Only failures count: a whole office behind one NAT address signing in correctly is never slowed down, while
 * password spraying from one address (per-IP budget) and guessing at one login, even one that does not exist
 * (per-login budget), are. Lock-out of a real account lives on its credential (`failedAttempts` / `lockedUntil`).
 */
export interface AttemptLimits {
  perIp: { max: number; windowSeconds: number };
  perLogin: { max: number; windowSeconds: number };
}

export const ATTEMPT_LIMITS: AttemptLimits = {
  perIp: { max: 100, windowSeconds: 300 },
  perLogin: { max: 10, windowSeconds: 300 },
};

const loginKey = (providerId: string, login: string): string => `${providerId}:${login.trim().toLowerCase()}`;

/** Refuses before any password is checked when either budget of failures is spent. */
export async function checkAttemptBudget(
  store: ExpiringStore,
  providerId: string,
  login: string,
  ip: string | null,
  limits: AttemptLimits = ATTEMPT_LIMITS,
): Promise<void> {
  const byLogin = (await store.get<{ n: number }>('failed-login', loginKey(providerId, login)))?.n ?? 0;
  if (byLogin >= limits.perLogin.max) {
    throw new SignInRejected(
      'rate_limited',
      `${byLogin} failed attempts for ${login.slice(0, 100)} within ${limits.perLogin.windowSeconds} s`,
    );
  }
  const byIp = ip ? ((await store.get<{ n: number }>('failed-ip', ip))?.n ?? 0) : 0;
  if (byIp >= limits.perIp.max) {
    throw new SignInRejected(
      'rate_limited',
      `${byIp} failed attempts from ${ip} within ${limits.perIp.windowSeconds} s`,
    );
  }
}

export async function recordFailedAttempt(
  store: ExpiringStore,
  providerId: string,
  login: string,
  ip: string | null,
  limits: AttemptLimits = ATTEMPT_LIMITS,
): Promise<void> {
  await store.increment('failed-login', loginKey(providerId, login), limits.perLogin.windowSeconds);
  if (ip) await store.increment('failed-ip', ip, limits.perIp.windowSeconds);
}
