import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignInRejected } from '../errors.js';

/**
 * CSRF tokens for the sign-in forms (OWASP "signed double-submit cookie"): an HMAC, under the replicas' shared
 * cookie secret, of the browser cookie and the form's scope. A page on another site can make the browser send the
 * cookie but cannot read the token; no server-side state is needed.
 */
export function csrfToken(secret: string, browserToken: string, scope: string): string {
  return createHmac('sha256', secret).update(`csrf:${browserToken}:${scope}`).digest('base64url');
}

/** Accepts a token made under any current cookie secret (so rotation does not break open forms). */
export function checkCsrf(
  secrets: readonly string[],
  browserToken: string | undefined,
  scope: string,
  token: unknown,
): void {
  if (!browserToken || typeof token !== 'string' || token.length !== 43) {
    throw new SignInRejected('csrf', 'missing CSRF token or browser cookie');
  }
  const given = Buffer.from(token);
  const ok = secrets.some((secret) =>
    timingSafeEqual(Buffer.from(csrfToken(secret, browserToken, scope)), given),
  );
  if (!ok) throw new SignInRejected('csrf', 'CSRF token does not match this browser and form');
}
